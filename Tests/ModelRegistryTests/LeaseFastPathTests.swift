import Dispatch
@testable import ModelRegistry
import ModelRegistryTestSupport
import Testing

/// Leases of a loaded model take no actor hop: they complete while the registry actor is held up.
///
/// Serialized: holding the actor blocks one of the few threads of Swift's pool (two on a two-core machine), so two
/// tests holding it at once would leave none for the leases.
@Suite(.serialized, .timeLimit(.minutes(1))) struct LeaseFastPathTests {
    /// Holds the registry actor's thread inside a load hook (which runs on the actor) until `release` is signalled
    /// or 10 s pass; `entered` opens once it is held.
    private func holdActor(
        _ registry: ModelRegistry, whileLoading name: String, entered: Gate, release: DispatchSemaphore,
        returned: Locked<Bool>
    ) async -> Task<Void, any Error> {
        _ = await registry.addLoadHook { loaded, _ in
            guard loaded == name else { return }
            entered.open()
            _ = release.wait(timeout: .now() + 10)
            returned.withLock { $0 = true }
        }
        return Task { try await registry.load(name) }
    }

    @Test(arguments: [KeepAlive.forever, .idle(.seconds(300))])
    func getAndWithModel_ofALoadedModel_completeWhileTheActorIsHeld(keepAlive: KeepAlive) async throws {
        let fixture = Fixture()
        let registry = fixture.registry(["a", "b"], options: RegistryOptions(defaultKeepAlive: keepAlive))
        try await registry.load("a")
        let (entered, release, returned) = (Gate(), DispatchSemaphore(value: 0), Locked(false))
        let loadingB = await holdActor(registry, whileLoading: "b", entered: entered, release: release, returned: returned)
        await entered.wait()

        let lease = try await registry.get("a")
        let echoed = try await registry.withModel("a", as: ScriptedEngine.self) { $0.echo(1) }
        await lease.release()
        let held = !returned.withLock { $0 }
        release.signal()
        try await loadingB.value
        #expect(held, "the leases completed while the actor was held")
        #expect(echoed == "a:1")
        #expect(registry.leaseTable.figures("a").leases == 0 && registry.leaseTable.figures("a").uses == 2)
    }

    @Test func get_ofAModelWithAZeroKeepAlive_goesThroughTheActor() async throws {
        let fixture = Fixture()
        let registry = fixture.registry(["a", "b"], options: RegistryOptions(defaultKeepAlive: .idle(.zero)))
        let first = try await registry.get("a")  // loads it; the lease keeps it loaded
        let (entered, release, returned) = (Gate(), DispatchSemaphore(value: 0), Locked(false))
        let loadingB = await holdActor(registry, whileLoading: "b", entered: entered, release: release, returned: returned)
        await entered.wait()

        let second = Task { try await registry.get("a") }
        release.signal()  // the second lease can only be taken once the actor is free again
        let lease = try await second.value
        #expect(returned.withLock { $0 }, "the lease waited for the actor")
        await lease.release()
        await first.release()
        try await loadingB.value
    }
}
