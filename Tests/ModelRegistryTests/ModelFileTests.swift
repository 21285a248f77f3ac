import Foundation
import ModelRegistry
import ModelRegistryTestSupport
import Testing

/// A remote model's file apart from its load: `download(_:)`, `deleteDownloaded(_:)`, `isAvailable(_:)`, and the
/// check of a file already on disk. The server is the loopback test server (`Scripts/test_http_server.py`).
@Suite(.timeLimit(.minutes(2))) struct ModelFileTests {
    private static func remote(_ name: String, _ url: URL, sha256: String? = nil) -> ModelConfiguration {
        var model = Fixture.model(name)
        model.path = url.absoluteString
        model.sha256 = sha256
        return model
    }

    /// A registry over remote models; downloads are not retried (retries wait on the registry's manual clock), and
    /// the idle timeout is long enough that a download held at a gate outlasts a loaded machine (the suite's time
    /// limit bounds a hang).
    private func registry(_ fixture: Fixture, _ models: [ModelConfiguration], directory: URL) -> ModelRegistry {
        fixture.registry(
            models, options: RegistryOptions(modelsDirectory: directory, downloadIdleTimeout: .seconds(60), downloadRetries: 0))
    }

    /// The model's event labels, without the progress reports (byte counts depend on the transfer's chunks).
    private func labels(_ log: EventLog, _ name: String, after skipped: Int = 0) -> [String] {
        log.labels(for: name).dropFirst(skipped).filter { $0 != "\(name) downloadProgress" && $0 != "\(name) loadProgress" }
    }

    /// The phases of the model's load progress events.
    private func phases(_ log: EventLog, _ name: String) -> [LoadProgress.Phase] {
        log.all.compactMap { event in
            guard event.name == name, case .loadProgress(let progress) = event.kind else { return nil }
            return progress.phase
        }
    }

    // MARK: - download(_:)

    @Test func download_fetchesTheFileWithoutLoading_publishingTheLoadsDownloadEvents() async throws {
        try await DownloadTestServer.run { server in
            let fixture = Fixture()
            let directory = try NativeFixtures.temporaryDirectory()
            let sha = try await server.sha256(ofPayloadOfSize: 300_000)
            let registry = registry(fixture, [Self.remote("remote", server.url("/file/300000"), sha256: sha)], directory: directory)
            let log = EventLog(registry)
            #expect(await !registry.isAvailable("remote"))

            let file = try await registry.download("remote")
            #expect(file.path.hasPrefix(directory.path))
            #expect(Array(try Data(contentsOf: file)) == DownloadTestServer.payload(size: 300_000))
            #expect(try await registry.state(of: "remote").kind == .downloaded)
            #expect(await registry.isAvailable("remote"))
            #expect(await !registry.isLoaded("remote"))
            #expect(fixture.script.contexts.isEmpty)
            await log.waitFor("remote", "downloaded")
            #expect(labels(log, "remote") == ["remote downloadStarted", "remote downloaded"])
            let progress = log.all.compactMap { event -> Int64? in
                if case .downloadProgress(let progress) = event.kind { return progress.bytesReceived }
                return nil
            }
            #expect(progress.last == 300_000 && progress == progress.sorted())

            let before = log.labels(for: "remote").count
            try await registry.load("remote")  // uses the file: checked, not downloaded again
            await log.waitFor("remote", "loaded")
            #expect(labels(log, "remote", after: before) == ["remote loadStarted", "remote loaded"])
            #expect(try await server.stats().requests["/file/300000"] == 1)
            #expect(fixture.script.contexts.last?.configuration.path == file.path)
        }
    }

    @Test func concurrentDownloadsAndALoad_shareOneTransfer_andOneSetOfDownloadEvents() async throws {
        try await DownloadTestServer.run { server in
            let fixture = Fixture()
            let registry = registry(
                fixture, [Self.remote("remote", server.url("/gate/shared/200000"))],
                directory: try NativeFixtures.temporaryDirectory())
            let log = EventLog(registry)
            let first = Task { try await registry.download("remote") }
            await log.waitFor { event in
                if case .downloadProgress(let progress) = event.kind { return progress.bytesReceived > 0 }
                return false
            }
            #expect(try await registry.state(of: "remote").kind == .downloading)
            let second = Task { try await registry.download("remote") }
            let loading = Task { try await registry.load("remote") }
            try await waitUntil { await registry.downloadWaiters(of: "remote") == 3 }
            let statistics = await registry.statistics
            #expect(statistics.downloading == 1 && statistics.loading == 1, "\(statistics)")

            try await server.open(gate: "shared")
            let files = [try await first.value, try await second.value]
            _ = try await loading.value
            #expect(files[0] == files[1])
            #expect(try await server.stats().requests["/gate/shared/200000"] == 1)
            await log.waitFor("remote", "loaded")
            #expect(
                labels(log, "remote") == ["remote downloadStarted", "remote downloaded", "remote loadStarted", "remote loaded"])
            let progress = log.all.compactMap { event -> Int64? in
                if case .downloadProgress(let progress) = event.kind { return progress.bytesReceived }
                return nil
            }
            #expect(progress == progress.sorted() && progress.last == 200_000)
        }
    }

    @Test func cancelledDownload_leavesTheModelNotDownloaded_andPublishesTheFailure() async throws {
        try await DownloadTestServer.run { server in
            let fixture = Fixture()
            let directory = try NativeFixtures.temporaryDirectory()
            let registry = registry(fixture, [Self.remote("remote", server.url("/gate/held/200000"))], directory: directory)
            let log = EventLog(registry)
            let downloading = Task { try await registry.download("remote") }
            await log.waitFor { event in
                if case .downloadProgress(let progress) = event.kind { return progress.bytesReceived > 0 }
                return false
            }
            downloading.cancel()
            await #expect {
                try await downloading.value
            } throws: { error in
                guard case RegistryError.downloadFailed("remote", .cancelled) = error else { return false }
                return true
            }
            await log.waitFor("remote", "downloadFailed")
            #expect(try await registry.state(of: "remote").kind == .notDownloaded)
            #expect(await !registry.isAvailable("remote"))
            try await server.open(gate: "held")
            try await waitUntil { try FileManager.default.contentsOfDirectory(atPath: directory.path).isEmpty }
        }
    }

    @Test func download_ofALocalModel_returnsItsFile_orSaysItIsMissing() async throws {
        let fixture = Fixture()
        let present = try Fixture.sizedModel("present", bytes: 10)
        let registry = fixture.registry([present, Fixture.model("missing")], options: RegistryOptions())
        #expect(try await registry.download("present").path == present.path)
        await #expect {
            try await registry.download("missing")
        } throws: { error in
            guard case RegistryError.downloadFailed("missing", .localFileMissing(_, let path)) = error else { return false }
            return path == "/models/missing.bin"
        }
        #expect(fixture.script.contexts.isEmpty)
    }

    // MARK: - A file already on disk

    @Test func reload_ofAChecksummedFileOnDisk_verifiesItWithoutDownloadEventsOrDownloadingState() async throws {
        try await DownloadTestServer.run { server in
            let fixture = Fixture()
            let sha = try await server.sha256(ofPayloadOfSize: 100_000)
            let registry = registry(
                fixture, [Self.remote("remote", server.url("/file/100000"), sha256: sha)],
                directory: try NativeFixtures.temporaryDirectory())
            try await registry.load("remote")
            try await registry.unload("remote")
            let log = EventLog(registry)  // the reload's events only

            let gate = fixture.script.holdLoads(of: "remote")
            let reloading = Task { try await registry.load("remote") }
            await gate.waitForWaiters()
            #expect(try await registry.state(of: "remote").kind == .loading)
            gate.open()
            _ = try await reloading.value
            await log.waitFor("remote", "loaded")
            #expect(log.labels(for: "remote") == ["remote loadStarted", "remote loadProgress", "remote loaded"])
            #expect(phases(log, "remote") == [.verifying], "the only phase before loading is the checksum")
            #expect(try await server.stats().requests["/file/100000"] == 1)
        }
    }

    @Test func reload_ofAFileThatChangedOnDisk_failsNamingTheFileAndBothDigests_thenTheNextLoadDownloadsIt() async throws {
        try await DownloadTestServer.run { server in
            let fixture = Fixture()
            let expected = try await server.sha256(ofPayloadOfSize: 2000)
            let registry = registry(
                fixture, [Self.remote("remote", server.url("/file/2000"), sha256: expected)],
                directory: try NativeFixtures.temporaryDirectory())
            try await registry.load("remote")
            try await registry.unload("remote")
            let file = URL(fileURLWithPath: try #require(fixture.script.contexts.last).configuration.path)
            try Data(DownloadTestServer.payload(size: 1000)).write(to: file)  // another file of the server's pattern
            let actual = try await server.sha256(ofPayloadOfSize: 1000)
            let log = EventLog(registry)  // the reload's events only

            await #expect {
                try await registry.load("remote")
            } throws: { error in
                guard case RegistryError.checksumMismatch(let name, let path, let wanted, let found) = error else { return false }
                let message = "\(error)"
                return name == "remote" && path == file.path && wanted == expected && found == actual
                    && message.contains(file.path) && message.contains(expected) && message.contains(actual)
            }
            #expect(!FileManager.default.fileExists(atPath: file.path))
            #expect(try await registry.state(of: "remote").isFailed)
            #expect(await !registry.isAvailable("remote"))
            await log.waitFor("remote", "loadFailed")
            #expect(log.labels(for: "remote") == ["remote loadStarted", "remote loadProgress", "remote loadFailed"])
            #expect(phases(log, "remote") == [.verifying])

            try await registry.retry("remote")
            #expect(try await server.stats().requests["/file/2000"] == 2)
            #expect(Array(try Data(contentsOf: file)) == DownloadTestServer.payload(size: 2000))
        }
    }

    @Test func download_ofAFileThatChangedOnDisk_downloadsItAgain() async throws {
        try await DownloadTestServer.run { server in
            let fixture = Fixture()
            let registry = registry(
                fixture, [Self.remote("remote", server.url("/file/3000"), sha256: try await server.sha256(ofPayloadOfSize: 3000))],
                directory: try NativeFixtures.temporaryDirectory())
            let file = try await registry.download("remote")
            try Data(DownloadTestServer.payload(size: 10)).write(to: file)
            #expect(try await registry.download("remote") == file)
            #expect(Array(try Data(contentsOf: file)) == DownloadTestServer.payload(size: 3000))
            #expect(try await server.stats().requests["/file/3000"] == 2)
            #expect(try await registry.state(of: "remote").kind == .downloaded)
        }
    }

    // MARK: - deleteDownloaded(_:)

    @Test func deleteDownloaded_removesTheFile_andTheNextLoadDownloadsItAgain() async throws {
        try await DownloadTestServer.run { server in
            let fixture = Fixture()
            let registry = registry(
                fixture, [Self.remote("remote", server.url("/file/5000"))], directory: try NativeFixtures.temporaryDirectory())
            let log = EventLog(registry)
            let file = try await registry.download("remote")
            try await registry.deleteDownloaded("remote")
            #expect(!FileManager.default.fileExists(atPath: file.path))
            #expect(try await registry.state(of: "remote").kind == .notDownloaded)
            #expect(await !registry.isAvailable("remote"))
            await log.waitFor("remote", "downloadDeleted")
            try await registry.deleteDownloaded("remote")  // nothing left to delete: no error

            try await registry.load("remote")
            #expect(try await server.stats().requests["/file/5000"] == 2)
            #expect(FileManager.default.fileExists(atPath: file.path))
        }
    }

    @Test func deleteDownloaded_isRefusedWhileLoadingLoadedOrLeased_namingTheModelAndWhy() async throws {
        try await DownloadTestServer.run { server in
            let fixture = Fixture()
            let registry = registry(
                fixture, [Self.remote("remote", server.url("/file/5000"))], directory: try NativeFixtures.temporaryDirectory())
            func expectRefused(_ state: ModelState.Kind, leases: Int, sourceLocation: SourceLocation = #_sourceLocation) async {
                await #expect(sourceLocation: sourceLocation) {
                    try await registry.deleteDownloaded("remote")
                } throws: { error in
                    guard case RegistryError.downloadInUse("remote", _, "remote", let found, let held) = error else { return false }
                    return found == state && held == leases && "\(error)".contains("model \"remote\"")
                }
            }
            let gate = fixture.script.holdLoads(of: "remote")
            let loading = Task { try await registry.load("remote") }
            await gate.waitForWaiters()
            await expectRefused(.loading, leases: 0)
            gate.open()
            _ = try await loading.value
            await expectRefused(.loaded, leases: 0)
            try await registry.withModel("remote") { _ in await expectRefused(.loaded, leases: 1) }
            let file = URL(fileURLWithPath: try #require(fixture.script.contexts.last).configuration.path)
            #expect(FileManager.default.fileExists(atPath: file.path))
            await #expect {
                try await registry.deleteDownloaded("remote")
            } throws: { error in
                "\(error)".contains("unload(\"remote\") first")
            }

            try await registry.unload("remote")
            try await registry.deleteDownloaded("remote")
            #expect(!FileManager.default.fileExists(atPath: file.path))
        }
    }

    @Test func deleteDownloaded_isRefusedWhileTheFileDownloads() async throws {
        try await DownloadTestServer.run { server in
            let fixture = Fixture()
            let registry = registry(
                fixture, [Self.remote("remote", server.url("/gate/deleting/200000"))],
                directory: try NativeFixtures.temporaryDirectory())
            let log = EventLog(registry)
            let downloading = Task { try await registry.download("remote") }
            await log.waitFor("remote", "downloadStarted")
            await #expect {
                try await registry.deleteDownloaded("remote")
            } throws: { error in
                guard case RegistryError.downloadInUse("remote", _, "remote", .downloading, 0) = error else { return false }
                return "\(error)".contains("downloaded or verified")
            }
            try await server.open(gate: "deleting")
            let file = try await downloading.value
            try await registry.deleteDownloaded("remote")
            #expect(!FileManager.default.fileExists(atPath: file.path))
        }
    }

    @Test func deleteDownloaded_isRefusedWhileAnotherModelWithTheSameURLIsLoaded() async throws {
        try await DownloadTestServer.run { server in
            let fixture = Fixture()
            let url = server.url("/file/4000")
            let registry = registry(
                fixture, [Self.remote("a", url), Self.remote("b", url)], directory: try NativeFixtures.temporaryDirectory())
            try await registry.load("a")
            #expect(try await registry.state(of: "b").kind == .downloaded)  // the two share the file
            await #expect {
                try await registry.deleteDownloaded("b")
            } throws: { error in
                guard case RegistryError.downloadInUse("b", _, "a", .loaded, 0) = error else { return false }
                return "\(error)".contains("model \"a\", which shares the file")
            }
            try await registry.unload("a")
            try await registry.deleteDownloaded("b")
            #expect(try await registry.state(of: "a").kind == .notDownloaded)
            #expect(try await registry.state(of: "b").kind == .notDownloaded)
        }
    }

    @Test func deleteDownloaded_ofALocalModel_isRefused() async throws {
        let model = try Fixture.sizedModel("local", bytes: 10)
        let registry = Fixture().registry([model], options: RegistryOptions())
        await #expect {
            try await registry.deleteDownloaded("local")
        } throws: { error in
            guard case RegistryError.notRemote("local", let path) = error else { return false }
            return path == model.path
        }
        #expect(FileManager.default.fileExists(atPath: model.path))
    }

    // MARK: - isAvailable(_:)

    @Test func isAvailable_whenTheLocalFileExistsOrTheModelIsLoaded() async throws {
        let fixture = Fixture()
        let registry = fixture.registry(
            [try Fixture.sizedModel("present", bytes: 10), Fixture.model("missing")], options: RegistryOptions())
        #expect(await registry.isAvailable("present"))
        #expect(await !registry.isAvailable("missing"))
        #expect(await !registry.isAvailable("unknown"))
        try await registry.load("missing")  // the scripted engine does not read the file
        #expect(await registry.isAvailable("missing"))
    }
}
