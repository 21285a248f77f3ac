import Foundation
import Testing

/// The `registry-tour` example: catalog, production version, workers, drain on unload, model list, statistics.
@Suite struct RegistryTourExampleTests {
    @Test(.timeLimit(.minutes(2)))
    func tour_burstThenDrainAndUnload_accountsForEveryRequestAndListsTheModel() async throws {
        let run = try await ExampleProcess.run("registry-tour", ["--requests", "12", "--late", "3"])
        #expect(run.status == 0, "stderr: \(run.stderr)")

        #expect(run.stdout.contains("iris@1.0.0   staging"))
        #expect(run.stdout.contains("iris@1.1.0   production"))
        #expect(run.stdout.contains("registered iris from iris@1.1.0 (production)"))

        let counts = try #require(run.stdout.firstMatch(of: #/submitted (\d+), completed (\d+), failed (\d+)/#))
        #expect(Int(counts.1) == 15)
        #expect(Int(counts.2) == 12)  // every request accepted before the unload ran
        #expect(Int(counts.3) == 3)  // the ones submitted while it unloaded
        #expect(run.stdout.contains("accounted for: 15 of 15"))
        #expect(run.stdout.contains("state after drainAndUnload: unloaded"))

        let json = try #require(run.lines.first { $0.hasPrefix("{") && $0.contains(#""object":"list""#) })
        let list = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        let models = try #require(list["data"] as? [[String: Any]])
        #expect(models.map { $0["id"] as? String } == ["iris"])
        #expect(models.first?["state"] as? String == "unloaded")
        #expect(run.stdout.contains("total loads      1"))
        // The swap: every request during it answered, events in order, the new version served, an old one by name.
        #expect(run.stdout.contains("event: loadProgress warmingUp"))
        #expect(run.stdout.contains("event: swapStarted 1.1.0 → 1.2.0 (sideBySide)"))
        #expect(run.stdout.contains("event: swapped 1.1.0 → 1.2.0 (sideBySide)"))
        #expect(run.stdout.contains("event: retired 1.1.0"))
        let swap = try #require(run.stdout.firstMatch(of: /swap sideBySide: (\d+) requests answered during the swap, (\d+) failed/))
        #expect(Int(swap.1).map { $0 > 0 } == true)
        #expect(Int(swap.2) == 0)
        #expect(run.stdout.contains("now serving: 1.2.0"))
        #expect(run.stdout.contains("iris@1.0.0 (staging) answered label"))
    }
}
