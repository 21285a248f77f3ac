import Foundation
import ModelRegistry
import ModelRegistryTestSupport
import Testing

@Suite(.timeLimit(.minutes(2))) struct DownloadFailureTests {
    @Test func aURLWhoseNameDecodesToSlashes_downloadsIntoTheModelsDirectoryAndNowhereElse() throws {
        let directory = URL(fileURLWithPath: "/srv/models")
        let cases: [(String, String)] = [
            ("https://example.com/x/..%2F..%2F..%2F..%2Fhome%2Fu%2F.bashrc", ".bashrc"),
            ("https://example.com/x/%2E%2E", "download"),
            ("https://example.com/x/..%2F", "download"),
            ("https://example.com/models/tiny.gguf", "tiny.gguf"),
            ("https://example.com/", "download"),
        ]
        for (text, name) in cases {
            let url = try #require(URL(string: text), "\(text)")
            let request = DownloadRequest(modelName: "m", url: url, directory: directory)
            #expect(request.destination.deletingLastPathComponent().standardizedFileURL.path == directory.path, "\(text)")
            #expect(request.destination.lastPathComponent.hasSuffix("-\(name)"), "\(text): \(request.destination.path)")
        }
    }

    @Test func checksumMismatch_failsWithoutRetry_leavingNoFile() async throws {
        try await DownloadTestServer.run { server async throws in
            try await DownloadSandbox.run { sandbox async throws in
                let wrong = String(repeating: "0", count: 64)
                let request = DownloadRequest(
                    modelName: "m", url: server.url("/file/10000"), destination: sandbox.file("m.bin"),
                    expectedSHA256: wrong
                )
                let actual = try await server.sha256(ofPayloadOfSize: 10000)
                await #expect {
                    try await DownloadManager.forTests(retries: 3).download(request)
                } throws: { error in
                    guard case DownloadError.checksumMismatch(let model, _, let expected, let got) = error else { return false }
                    return model == "m" && expected == wrong && got == actual
                }
                #expect(try sandbox.contents() == [])
                #expect(try await server.stats().requests["/file/10000"] == 1)
            }
        }
    }

    @Test func failedDownload_leavesAnExistingDestinationUntouched() async throws {
        try await DownloadTestServer.run { server async throws in
            try await DownloadSandbox.run { sandbox async throws in
                try Data("previous model".utf8).write(to: sandbox.file("m.bin"))
                let request = DownloadRequest(
                    modelName: "m", url: server.url("/truncate/10000"), destination: sandbox.file("m.bin"),
                    expectedSHA256: try await server.sha256(ofPayloadOfSize: 10000)
                )
                await #expect(throws: DownloadError.self) { try await DownloadManager.forTests().download(request) }
                #expect(try sandbox.contents() == ["m.bin"])
                #expect(try sandbox.bytes(of: "m.bin") == Array("previous model".utf8))
            }
        }
    }

    @Test func truncatedBody_isRetried_thenFails_leavingNoFile() async throws {
        try await DownloadTestServer.run { server async throws in
            try await DownloadSandbox.run { sandbox async throws in
                let request = DownloadRequest(
                    modelName: "m", url: server.url("/truncate/100000"), destination: sandbox.file("m.bin")
                )
                await #expect {
                    try await DownloadManager.forTests(retries: 2).download(request)
                } throws: { error in
                    guard case DownloadError.retriesExhausted("m", _, 3, .truncated(_, _, let received, 100_000)) = error
                    else { return false }
                    return received == 50_000
                }
                #expect(try sandbox.contents() == [])
                #expect(try await server.stats().requests["/truncate/100000"] == 3)
            }
        }
    }

    @Test func stalledServer_timesOut_leavingNoFile() async throws {
        try await DownloadTestServer.run { server async throws in
            try await DownloadSandbox.run { sandbox async throws in
                let request = DownloadRequest(
                    modelName: "m", url: server.url("/stall/100000"), destination: sandbox.file("m.bin")
                )
                await #expect {
                    try await DownloadManager.forTests(idleTimeout: .seconds(1)).download(request)
                } throws: { error in
                    guard case DownloadError.timedOut("m", _, let idle) = error else { return false }
                    return idle == .seconds(1)
                }
                #expect(try sandbox.contents() == [])
            }
        }
    }

    @Test func flakyServer_failingTwice_succeedsOnTheThirdRequest() async throws {
        try await DownloadTestServer.run { server async throws in
            try await DownloadSandbox.run { sandbox async throws in
                let request = DownloadRequest(
                    modelName: "m", url: server.url("/flaky/2/30000"), destination: sandbox.file("m.bin"),
                    expectedSHA256: try await server.sha256(ofPayloadOfSize: 30000)
                )
                let log = DownloadProgressLog()
                _ = try await DownloadManager.forTests(retries: 3).download(request, progress: log.callback)

                #expect(try sandbox.bytes(of: "m.bin") == DownloadTestServer.payload(size: 30000))
                #expect(try await server.stats().requests["/flaky/2/30000"] == 3)
                #expect(log.all.last?.attempt == 3)
                #expect(log.all.last?.bytesReceived == 30000)
                log.expectMonotonic()
            }
        }
    }

    @Test func notFound_failsWithoutRetry() async throws {
        try await DownloadTestServer.run { server async throws in
            try await DownloadSandbox.run { sandbox async throws in
                let request = DownloadRequest(modelName: "m", url: server.url("/404"), destination: sandbox.file("m.bin"))
                await #expect {
                    try await DownloadManager.forTests(retries: 3).download(request)
                } throws: { error in
                    guard case DownloadError.httpStatus("m", let url, 404) = error else { return false }
                    return url == request.url && "\(error)".contains("404") && "\(error)".contains("\"m\"")
                }
                #expect(try await server.stats().requests["/404"] == 1)
                #expect(try sandbox.contents() == [])
            }
        }
    }

    @Test func serverError_isRetriedAfterBackoffsThatDoubleUpToTheCap() async throws {
        try await DownloadTestServer.run { server async throws in
            try await DownloadSandbox.run { sandbox async throws in
                let clock = ManualClock()
                let manager = DownloadManager(
                    retries: 3, backoff: RetryBackoff(initial: .seconds(1), maximum: .milliseconds(1500)), clock: clock
                )
                let request = DownloadRequest(
                    modelName: "m", url: server.url("/status/503"), destination: sandbox.file("m.bin")
                )
                let download = Task { try await manager.download(request) }
                for delay in [Duration.seconds(1), .milliseconds(1500), .milliseconds(1500)] {
                    await clock.waitForSleepers(1)
                    clock.advance(by: delay - .milliseconds(1))
                    #expect(clock.sleeperCount == 1, "the retry waits the whole \(delay)")
                    clock.advance(by: .milliseconds(1))
                }
                await #expect {
                    try await download.value
                } throws: { error in
                    guard case DownloadError.retriesExhausted("m", _, 4, .httpStatus(_, _, 503)) = error else { return false }
                    return true
                }
                #expect(try await server.stats().requests["/status/503"] == 4)
            }
        }
    }

    @Test func connectionClosedWithoutAnswer_isARetriedNetworkError() async throws {
        try await DownloadTestServer.run { server async throws in
            try await DownloadSandbox.run { sandbox async throws in
                let request = DownloadRequest(modelName: "m", url: server.url("/drop/10"), destination: sandbox.file("m.bin"))
                await #expect {
                    try await DownloadManager.forTests(retries: 1).download(request)
                } throws: { error in
                    guard case DownloadError.retriesExhausted("m", _, 2, .network("m", _, _)) = error else { return false }
                    return true
                }
                #expect(try await server.stats().requests["/drop/10"] == 2)
                #expect(try sandbox.contents() == [])
            }
        }
    }
}
