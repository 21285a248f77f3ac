import Foundation
import ModelRegistry
import Testing

@Suite(.timeLimit(.minutes(2))) struct SemanticVersionTests {
    @Test func parse_releaseAndPreRelease_readsEveryPart() throws {
        let release = try SemanticVersion(parsing: "1.22.333")
        #expect((release.major, release.minor, release.patch) == (1, 22, 333))
        #expect(release.preRelease.isEmpty)
        #expect(!release.isPreRelease)

        let candidate = try SemanticVersion(parsing: "2.0.0-rc.1")
        #expect((candidate.major, candidate.minor, candidate.patch) == (2, 0, 0))
        #expect(candidate.preRelease == ["rc", "1"])
        #expect(candidate.description == "2.0.0-rc.1")
    }

    @Test(arguments: [
        "", "1", "1.2", "1.2.3.4", "01.2.3", "1.02.3", "1.2.-3", "a.b.c", "v1.2.3", " 1.2.3", "1.2.3 ",
        "1.2.3-", "1.2.3-rc..1", "1.2.3-01", "1.2.3-rc.1+build.5", "1.2.3+build", "1.2.3-r_c",
        "99999999999999999999.0.0",
    ])
    func parse_malformedText_throwsInvalidVersionNamingIt(text: String) {
        let error = #expect(throws: RegistryError.self) { try SemanticVersion(parsing: text) }
        guard case .invalidVersion(let named)? = error else {
            Issue.record("expected invalidVersion, got \(String(describing: error))")
            return
        }
        #expect(named == text)
    }

    /// The precedence example of the Semantic Versioning 2.0.0 specification (section 11), plus numeric order
    /// of the core numbers.
    @Test func sort_shuffledVersions_followsSemverPrecedence() throws {
        let ordered = [
            "0.9.9", "1.0.0-alpha", "1.0.0-alpha.1", "1.0.0-alpha.beta", "1.0.0-beta", "1.0.0-beta.2",
            "1.0.0-beta.11", "1.0.0-rc.1", "1.0.0", "1.0.1", "1.2.0", "1.10.0", "2.0.0",
        ]
        let versions = try ordered.map { text throws(RegistryError) in try SemanticVersion(parsing: text) }
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<20 {
            #expect(versions.shuffled(using: &generator).sorted() == versions)
        }
        for (lower, higher) in zip(versions, versions.dropFirst()) {
            #expect(lower < higher && !(higher < lower) && lower != higher, "\(lower) < \(higher)")
        }
    }

    @Test func codable_encodesAsStringAndRoundTrips() throws {
        let versions: [SemanticVersion] = ["1.2.3", "4.0.0-beta.2"]
        let data = try JSONEncoder().encode(versions)
        #expect(String(decoding: data, as: UTF8.self) == #"["1.2.3","4.0.0-beta.2"]"#)
        #expect(try JSONDecoder().decode([SemanticVersion].self, from: data) == versions)
    }

    @Test func decode_malformedString_throwsDecodingError() {
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode([SemanticVersion].self, from: Data(#"["1.2"]"#.utf8))
        }
    }

    @Test func next_bumpsOneNumberAndDropsPreRelease() {
        let version: SemanticVersion = "1.2.3-rc.1"
        #expect(version.nextPatch() == "1.2.4")
        #expect(version.nextMinor() == "1.3.0")
        #expect(version.nextMajor() == "2.0.0")
    }

    @Test func init_parts_validatesThem() throws {
        #expect(try SemanticVersion(major: 3, minor: 1, patch: 4, preRelease: ["beta", "7"]) == "3.1.4-beta.7")
        #expect(throws: RegistryError.self) { try SemanticVersion(major: -1, minor: 0, patch: 0) }
        #expect(throws: RegistryError.self) { try SemanticVersion(major: 1, minor: 0, patch: 0, preRelease: [""]) }
    }
}
