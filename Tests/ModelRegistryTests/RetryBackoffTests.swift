import ModelRegistry
import ModelRegistryTestSupport
import Testing

@Suite(.timeLimit(.minutes(2))) struct RetryBackoffTests {
    @Test func failedModel_refusesLoadsDuringItsCooldown_thenLoadsAfterIt() async throws {
        let fixture = Fixture()
        let registry = fixture.registry(["a"])
        fixture.script.failLoads(of: "a")
        _ = try? await registry.load("a")

        await #expect {
            try await registry.get("a")
        } throws: { error in
            guard case RegistryError.retryCooldown(let name, let retryIn, let failures, let lastError) = error else {
                return false
            }
            return name == "a" && retryIn == .seconds(1) && failures == 1 && lastError.contains("scripted failure")
        }
        fixture.clock.advance(by: .seconds(1))
        #expect(try await registry.load("a").state.isLoaded)
    }

    @Test func consecutiveFailures_doubleTheCooldown() async throws {
        let fixture = Fixture()
        let registry = fixture.registry(["a"])
        fixture.script.failLoads(of: "a", times: 3)
        _ = try? await registry.load("a")
        _ = try? await registry.retry("a")
        _ = try? await registry.retry("a")
        #expect(try await registry.record(of: "a").consecutiveFailures == 3)

        fixture.clock.advance(by: .seconds(3))
        await #expect {
            try await registry.load("a")
        } throws: { error in
            guard case RegistryError.retryCooldown(_, let retryIn, _, _) = error else { return false }
            return retryIn == .seconds(1)
        }
        fixture.clock.advance(by: .seconds(1))
        #expect(try await registry.load("a").consecutiveFailures == 0)
    }

    @Test func backoff_doublesUpToItsMaximum() {
        let backoff = RetryBackoff()
        let delays = [1, 2, 3, 9, 10, 50].map { backoff.delay(afterFailures: $0) }
        #expect(delays == [.seconds(1), .seconds(2), .seconds(4), .seconds(256), .seconds(300), .seconds(300)])
    }

    @Test func cancelledLoad_hasNoCooldown() async throws {
        let fixture = Fixture()
        let registry = fixture.registry(["a"])
        let gate = fixture.script.holdLoads(of: "a")
        let waiter = Task { try await registry.load("a") }
        await gate.waitForWaiters()
        try await registry.cancelLoad("a")
        _ = try? await waiter.value
        gate.open()
        #expect(try await registry.load("a").state.isLoaded)
    }
}
