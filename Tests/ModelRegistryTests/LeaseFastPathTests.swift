@testable import ModelRegistry
import ModelRegistryTestSupport
import Testing

/// Which path a lease takes: a loaded model's leases, through `get` or `withModel`, never come to the registry
/// actor (`actorLeaseRequests` counts those that do), unless the registry must hear of each lease.
@Suite(.timeLimit(.minutes(1))) struct LeaseFastPathTests {
    @Test(arguments: [KeepAlive.forever, .idle(.seconds(300))])
    func getAndWithModel_ofALoadedModel_takeNoActorHop(keepAlive: KeepAlive) async throws {
        let fixture = Fixture()
        let registry = fixture.registry(["a"], options: RegistryOptions(defaultKeepAlive: keepAlive))
        try await registry.load("a")
        let before = await registry.actorLeaseRequests

        let lease = try await registry.get("a")
        let echoed = try await registry.withModel("a", as: ScriptedEngine.self) { $0.echo(1) }
        #expect(registry.leaseTable.figures("a").leases == 1)
        await lease.release()
        #expect(await registry.actorLeaseRequests == before, "neither lease came to the actor")
        #expect(echoed == "a:1")
        #expect(registry.leaseTable.figures("a").leases == 0 && registry.leaseTable.figures("a").uses == 2)
    }

    @Test func leasesOfAModelWithAZeroKeepAlive_goThroughTheActor() async throws {
        let fixture = Fixture()
        let registry = fixture.registry(["a"], options: RegistryOptions(defaultKeepAlive: .idle(.zero)))
        let first = try await registry.get("a")  // loads it; the lease keeps it loaded
        let before = await registry.actorLeaseRequests
        let second = try await registry.get("a")
        try await registry.withModel("a") { _ in }
        #expect(await registry.actorLeaseRequests == before + 2, "the actor must hear of each lease's end")
        await second.release()
        await first.release()
    }

    @Test func getOfAnUnloadedModel_loadsItThroughTheActor_thenLeasesSkipIt() async throws {
        let fixture = Fixture()
        let registry = fixture.registry(["a"])
        let first = try await registry.get("a")
        #expect(await registry.actorLeaseRequests == 1)
        await first.release()
        for _ in 0..<3 { await (try await registry.get("a")).release() }
        #expect(await registry.actorLeaseRequests == 1)
    }
}
