import ModelRegistry
import ModelRegistryTestSupport
import Testing

@Suite(.timeLimit(.minutes(2))) struct OperationsTests {
    @Test func periodicHealthChecks_publishChanges() async throws {
        let fixture = Fixture()
        let registry = fixture.registry(["a"], options: RegistryOptions(healthCheckInterval: .seconds(10)))
        let log = EventLog(registry)
        try await registry.load("a")
        await registry.startHealthChecks()
        await fixture.clock.waitForSleepers()
        fixture.clock.advance(by: .seconds(10))
        await log.waitFor("a", "healthChanged")
        #expect(try await registry.record(of: "a").health == .healthy)

        fixture.script.setHealth(.degraded(reason: "slow"), for: "a")
        await fixture.clock.waitForSleepers()
        fixture.clock.advance(by: .seconds(10))
        await log.waitFor { $0.kind.label == "healthChanged healthy → degraded" }
        #expect(await registry.health.label == "degraded")
        await registry.stopHealthChecks()
    }

    @Test func statistics_countModelsLoadsFailuresAndLeases() async throws {
        let fixture = Fixture()
        let registry = fixture.registry(["a", "b", "c"])
        fixture.script.failLoads(of: "c")
        try await registry.load("a")
        _ = try? await registry.load("c")
        let lease = try await registry.get("b")
        let statistics = await registry.statistics
        #expect(statistics.registered == 3)
        #expect(statistics.loaded == 2)
        #expect(statistics.failed == 1)
        #expect(statistics.totalLoads == 2)
        #expect(statistics.totalFailures == 1)
        #expect(statistics.activeLeases == 1)
        await lease.release()
    }

    @Test func liveSetting_changesWithoutAReload() async throws {
        let fixture = Fixture()
        let registry = fixture.registry(["a"])
        let log = EventLog(registry)
        let before = try await registry.load("a").id
        try await registry.updateConfiguration("a") { $0.keepAlive = .idle(.seconds(5)) }
        await fixture.clock.waitForSleepers()
        #expect(try await registry.record(of: "a").id == before)
        #expect(fixture.script.loads(of: "a") == 1)
        fixture.clock.advance(by: .seconds(5))
        await log.waitFor("a", "unloaded")
        #expect(log.labels(for: "a").contains("a configurationUpdated"))
    }

    @Test func changedFields_useTheFileKeys() async throws {
        let registry = Fixture().registry(["a"])
        let log = EventLog(registry)
        try await registry.load("a")
        try await registry.updateConfiguration("a") { $0.loadTimeout = .seconds(9) }
        await log.waitFor("a", "configurationUpdated")
        let fields = log.all.compactMap { event -> [String]? in
            if case .configurationUpdated(let fields) = event.kind { fields } else { nil }
        }
        #expect(fields == [["loadTimeoutSeconds"]])
    }

    @Test func engineSetting_onALoadedModel_needsAnExplicitReload() async throws {
        let fixture = Fixture()
        let registry = fixture.registry(["a"])
        let before = try await registry.load("a").id
        await #expect {
            try await registry.updateConfiguration("a") { $0.threads = 4 }
        } throws: { error in
            guard case RegistryError.reloadRequired(let name, let fields) = error else { return false }
            return name == "a" && fields == ["threads"]
        }
        #expect(try await registry.configuration(of: "a").threads == nil)

        try await registry.updateConfiguration("a", reload: true) { $0.threads = 4 }
        let record = try await registry.record(of: "a")
        #expect(record.configuration.threads == 4)
        #expect(record.id != before)
        #expect(fixture.script.loads(of: "a") == 2)
        #expect(fixture.script.contexts.last?.configuration.threads == 4)
    }

    @Test func reload_aRequestArrivingWhileTheOldEngineDrains_loadsTheNewConfiguration() async throws {
        let fixture = Fixture()
        let registry = fixture.registry([Fixture.model("a")], options: RegistryOptions(defaultLoadTimeout: .seconds(60)))
        let log = EventLog(registry)
        let lease = try await registry.get("a")
        let reloading = Task { try await registry.updateConfiguration("a", reload: true) { $0.threads = 4 } }
        await log.waitFor("a", "unloadStarted")
        await fixture.clock.waitForSleepers()  // the drain's deadline
        let request = Task { try await registry.withModel("a", as: ScriptedEngine.self) { $0.echo(1) } }
        await fixture.clock.waitForSleepers(2)  // and the request's, waiting for the unload within its load timeout

        await lease.release()  // the drain ends: the unload resumes the waiting request before the reload goes on
        _ = try await reloading.value
        #expect(try await request.value == "a:1")
        #expect(fixture.script.contexts.map(\.configuration.threads) == [nil, 4], "no load of the old configuration")
        #expect(try await registry.record(of: "a").configuration.threads == 4)
    }

    @Test func reload_whoseDrainOutlastsItsDeadline_keepsTheOldConfiguration() async throws {
        let fixture = Fixture()
        let registry = fixture.registry([Fixture.model("a")], options: RegistryOptions(unloadDrainTimeout: .seconds(3)))
        let lease = try await registry.get("a")
        let reloading = Task { try await registry.updateConfiguration("a", reload: true) { $0.threads = 4 } }
        await fixture.clock.waitForSleepers()  // the drain's deadline
        fixture.clock.advance(by: .seconds(3))
        await #expect {
            try await reloading.value
        } throws: { error in
            guard case RegistryError.leasesStillHeld(let name, _, _) = error else { return false }
            return name == "a"
        }
        #expect(await registry.isLoaded("a"))
        #expect(try await registry.configuration(of: "a").threads == nil, "the old engine serves with its settings")
        await lease.release()
    }

    @Test func anySetting_ofAnUnloadedModel_changesAtOnce() async throws {
        let registry = Fixture().registry(["a"])
        try await registry.updateConfiguration("a") { $0.path = "/elsewhere.bin" }
        #expect(try await registry.configuration(of: "a").path == "/elsewhere.bin")
        await #expect(throws: RegistryError.self) { try await registry.updateConfiguration("a") { $0.name = "b" } }
    }
}
