import Foundation
import ModelRegistry
import ModelRegistryTestSupport
import Testing

/// A model whose path is a URL: downloaded by the registry's load, with its status and events, before the engine
/// loads the local file. The server is the loopback test server (`Scripts/test_http_server.py`).
@Suite(.timeLimit(.minutes(2))) struct RegistryDownloadTests {
    /// A registry with one remote model; downloads are not retried (retries wait on the registry's manual clock). The
    /// idle timeout is long: a download the server holds must not time out on a loaded machine while a test looks.
    private func registry(
        _ fixture: Fixture, url: URL, sha256: String? = nil, directory: URL
    ) -> ModelRegistry {
        var model = Fixture.model("remote")
        model.path = url.absoluteString
        model.sha256 = sha256
        return fixture.registry(
            [model], options: RegistryOptions(modelsDirectory: directory, downloadIdleTimeout: .seconds(60), downloadRetries: 0))
    }

    @Test func remoteModel_goesNotDownloadedDownloadingDownloadedLoaded() async throws {
        try await DownloadTestServer.run { server in
            let fixture = Fixture()
            let directory = try NativeFixtures.temporaryDirectory()
            let sha = try await server.sha256(ofPayloadOfSize: 300_000)
            let registry = registry(fixture, url: server.url("/file/300000"), sha256: sha, directory: directory)
            let log = EventLog(registry)
            #expect(try await registry.state(of: "remote").kind == .notDownloaded)

            try await registry.load("remote")
            let context = try #require(fixture.script.contexts.last)
            #expect(context.configuration.path.hasPrefix(directory.path))
            #expect(try Data(contentsOf: URL(fileURLWithPath: context.configuration.path)).count == 300_000)
            #expect(context.verifiedSHA256 == sha, "the engine is told the hash was checked, so it does not hash again")
            #expect(try await registry.configuration(of: "remote").path.hasPrefix("http://127.0.0.1"))

            await log.waitFor("remote", "loaded")
            let labels = log.labels(for: "remote").filter { $0 != "remote downloadProgress" && $0 != "remote loadProgress" }
            #expect(labels == ["remote downloadStarted", "remote downloaded", "remote loadStarted", "remote loaded"])
            let phases = log.all.compactMap { event -> LoadProgress? in
                if case .loadProgress(let progress) = event.kind { return progress }
                return nil
            }
            #expect(!phases.isEmpty && phases.allSatisfy { $0.phase == .downloading && $0.bytes != nil })
            #expect(phases.last?.bytes == 300_000, "the download phase reports its bytes up to the whole file")
            let progress = log.all.compactMap { event -> Int64? in
                if case .downloadProgress(let progress) = event.kind { return progress.bytesReceived }
                return nil
            }
            #expect(progress.last == 300_000)
            #expect(progress == progress.sorted())
            // the download ended (its slot given back) before the engine was asked to load
            let statistics = await registry.statistics
            #expect(statistics.activeDownloads == 0 && statistics.queuedDownloads == 0, "\(statistics)")
            #expect(statistics.downloading == 0 && statistics.loading == 0, "\(statistics)")
            #expect(statistics.loaded == 1 && statistics.totalLoads == 1, "\(statistics)")

            try await registry.unload("remote")
            #expect(try await registry.state(of: "remote").kind == .downloaded)
        }
    }

    @Test func downloadedModel_loadsAgainWithoutDownloading() async throws {
        try await DownloadTestServer.run { server in
            let fixture = Fixture()
            let registry = registry(fixture, url: server.url("/file/1000"), directory: try NativeFixtures.temporaryDirectory())
            try await registry.load("remote")
            try await registry.unload("remote")
            try await registry.load("remote")
            #expect(try await server.stats().requests["/file/1000"] == 1)
            #expect(fixture.script.loads(of: "remote") == 2)
        }
    }

    @Test func failedDownload_failsTheLoadNamingTheURL_andLeavesNoFile() async throws {
        try await DownloadTestServer.run { server in
            let fixture = Fixture()
            let directory = try NativeFixtures.temporaryDirectory()
            let registry = registry(fixture, url: server.url("/truncate/50000"), directory: directory)
            await #expect {
                try await registry.load("remote")
            } throws: { error in
                guard case RegistryError.downloadFailed(let name, _) = error else { return false }
                return name == "remote" && "\(error)".contains("/truncate/50000")
            }
            #expect(try await registry.state(of: "remote").isFailed)
            #expect(fixture.script.contexts.isEmpty)
            #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path).isEmpty)
        }
    }

    @Test func checksumMismatch_failsTheLoad() async throws {
        try await DownloadTestServer.run { server in
            let fixture = Fixture()
            let directory = try NativeFixtures.temporaryDirectory()
            let registry = registry(
                fixture, url: server.url("/file/2000"), sha256: String(repeating: "0", count: 64), directory: directory)
            await #expect {
                try await registry.load("remote")
            } throws: { error in
                "\(error)".contains("could not be downloaded")
            }
            #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path).isEmpty)
        }
    }

    @Test func cancellingTheLoad_stopsTheDownload() async throws {
        try await DownloadTestServer.run { server in
            let fixture = Fixture()
            let directory = try NativeFixtures.temporaryDirectory()
            let registry = registry(fixture, url: server.url("/gate/held/400000"), directory: directory)
            let log = EventLog(registry)
            let loading = Task { try await registry.load("remote") }
            await log.waitFor { event in
                if case .downloadProgress(let progress) = event.kind { return progress.bytesReceived > 0 }
                return false
            }
            // the server holds the rest of the body: the download keeps its slot until it is cancelled
            guard case .downloading(let received) = try await registry.state(of: "remote") else {
                Issue.record("not downloading: \(try await registry.state(of: "remote"))")
                return
            }
            #expect(received.bytesReceived > 0 && received.totalBytes == 400_000, "\(received)")
            let statistics = await registry.statistics
            #expect(statistics.downloading == 1 && statistics.loading == 1, "\(statistics)")
            #expect(statistics.activeDownloads == 1 && statistics.queuedDownloads == 0, "\(statistics)")
            try await registry.cancelLoad("remote")
            await #expect(throws: RegistryError.self) { try await loading.value }
            try await server.open(gate: "held")
            // No event marks the end of a cancelled download's clean-up (its temporary file removed, its slot given
            // back, the model's download record cleared), which goes on after the load has failed: wait for all.
            try await waitUntil {
                let leftover = try FileManager.default.contentsOfDirectory(atPath: directory.path)
                let statistics = await registry.statistics
                return leftover.isEmpty && statistics.activeDownloads == 0 && statistics.downloading == 0
            }
            let after = await registry.statistics
            #expect(after.downloading == 0 && after.loading == 0 && after.queuedDownloads == 0, "\(after)")
            #expect(fixture.script.contexts.isEmpty)
        }
    }

    /// Starts loading the registry's remote model from `/gate/held/400000` and returns once its download has
    /// received bytes: the server holds the rest of the body until the test opens the gate `held`.
    private func heldDownload(
        _ registry: ModelRegistry, _ log: EventLog
    ) async throws -> Task<ModelRecord, any Error> {
        let loading = Task { try await registry.load("remote") }
        await log.waitFor { event in
            if case .downloadProgress(let progress) = event.kind { return progress.bytesReceived > 0 }
            return false
        }
        #expect(try await registry.state(of: "remote").kind == .downloading)
        return loading
    }

    @Test func updateConfiguration_whileTheLoadDownloads_needsAReload() async throws {
        try await DownloadTestServer.run { server in
            let fixture = Fixture()
            let registry = registry(fixture, url: server.url("/gate/held/400000"), directory: try NativeFixtures.temporaryDirectory())
            let log = EventLog(registry)
            let loading = try await heldDownload(registry, log)

            await #expect {
                try await registry.updateConfiguration("remote") { $0.path = server.url("/file/1000").absoluteString }
            } throws: { error in
                guard case RegistryError.reloadRequired(let name, let fields) = error else { return false }
                return name == "remote" && fields == ["path"]
            }
            #expect(try await registry.configuration(of: "remote").path.hasSuffix("/gate/held/400000"))
            try await registry.cancelLoad("remote")
            try await server.open(gate: "held")
            _ = await loading.result
        }
    }

    @Test func swap_whileTheLoadDownloads_loadsTheNewFile() async throws {
        try await DownloadTestServer.run { server in
            let fixture = Fixture()
            let registry = registry(fixture, url: server.url("/gate/held/400000"), directory: try NativeFixtures.temporaryDirectory())
            let log = EventLog(registry)
            let loading = try await heldDownload(registry, log)
            var next = try await registry.configuration(of: "remote")
            next.path = server.url("/file/1000").absoluteString

            let swapping = Task { try await registry.swap("remote", to: next) }
            await log.waitFor("remote", "configurationUpdated")  // the running load was stopped first
            try await server.open(gate: "held")
            #expect(try await swapping.value == nil, "not loaded yet: nothing to swap, the next load uses it")
            _ = await loading.result
            try await registry.load("remote")

            let loaded = fixture.script.contexts.map(\.configuration.path)
            #expect(loaded.count == 1, "the old file never reached the engine: \(loaded)")
            let file = try #require(loaded.last)
            #expect(try Data(contentsOf: URL(fileURLWithPath: file)).count == 1_000)
            #expect(try await registry.configuration(of: "remote").path == next.path)
        }
    }
}
