import ModelRegistry
import Testing

/// `unregister` fails every request waiting on the model with `unregistered`: a load or a lease waiting for the load
/// it cancels, and one waiting for the unload it joins.
@Suite(.timeLimit(.minutes(2))) struct UnregisterTests {
    private static func isUnregistered(_ error: any Error) -> Bool {
        if case RegistryError.unregistered(name: "a") = error { true } else { false }
    }

    @Test(arguments: [false, true])
    func unregister_cancellingTheLoadARequestWaitsFor_failsTheRequestWithUnregistered(leasing: Bool) async throws {
        let fixture = Fixture()
        let registry = fixture.registry(["a"])
        let gate = fixture.script.holdLoads(of: "a")
        let request = Task {
            if leasing { try await registry.get("a").release() } else { try await registry.load("a") }
        }
        await gate.waitForWaiters()  // the request started the load, and waits for it

        try await registry.unregister("a")
        await #expect { try await request.value } throws: { Self.isUnregistered($0) }
        gate.open()
        await fixture.script.waitForUnload(of: "a")  // the engine that loads after its model went is freed
    }

    @Test func unregister_joiningTheUnloadALoadWaitsFor_failsTheLoadWithUnregistered() async throws {
        let registry = Fixture().registry(["a"])
        let log = EventLog(registry)
        let lease = try await registry.get("a")
        let unloading = Task { try await registry.unload("a") }
        await log.waitFor("a", "unloadStarted")  // draining: the lease holds it

        let load = await registry.startNow { try await $0.load("a") }  // waits for the unload, to load again
        let unregistering = await registry.startNow { try await $0.unregister("a") }  // joins that unload
        await lease.release()
        try await unloading.value
        try await unregistering.value
        await #expect { try await load.value } throws: { Self.isUnregistered($0) }
        #expect(await registry.availableModels.isEmpty)
    }
}

extension ModelRegistry {
    /// Runs `body` in a task that starts at once on this actor and runs until it first suspends: a request started
    /// this way has asked for its model (and waits, when it must) before the caller's next call reaches the registry.
    /// - Parameter body: The request.
    /// - Returns: The task running it.
    func startNow<Result: Sendable>(
        _ body: @escaping @Sendable (isolated ModelRegistry) async throws -> Result
    ) -> Task<Result, any Error> {
        Task.immediate { try await body(self) }
    }
}
