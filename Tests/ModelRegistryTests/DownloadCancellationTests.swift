import Foundation
import ModelRegistry
import ModelRegistryTestSupport
import Testing

@Suite(.timeLimit(.minutes(2))) struct DownloadCancellationTests {
    @Test func cancelMidDownload_throwsCancelled_andLeavesNoTemporaryFile() async throws {
        try await DownloadTestServer.run { server async throws in
            try await DownloadSandbox.run { sandbox async throws in
                let log = DownloadProgressLog()
                // The gate is never opened: only cancellation can end this download.
                let request = DownloadRequest(
                    modelName: "m", url: server.url("/gate/never/400000"), destination: sandbox.file("m.bin")
                )
                let manager = DownloadManager.forTests(retries: 3)
                let download = Task { try await manager.download(request, progress: log.callback) }
                await log.waitForBytes(64 * 1024)
                #expect(try sandbox.contents().contains { $0.hasPrefix(".m.bin.") && $0.hasSuffix(".partial") })

                download.cancel()
                await #expect {
                    try await download.value
                } throws: { error in
                    guard case DownloadError.cancelled("m", let url) = error else { return false }
                    return url == request.url
                }
                #expect(try sandbox.contents() == [])
                #expect(manager.runningDownloads == 0)
                #expect(try await server.stats().totalRequests == 1)
            }
        }
    }

    @Test func runningDownloadsTemporaryFile_isLocked_soAnotherProcessCleaningUpLeavesIt() async throws {
        try await DownloadTestServer.run { server async throws in
            try await DownloadSandbox.run { sandbox async throws in
                let log = DownloadProgressLog()
                let request = DownloadRequest(
                    modelName: "m", url: server.url("/gate/never/400000"), destination: sandbox.file("m.bin"))
                let download = Task { try await DownloadManager.forTests().download(request, progress: log.callback) }
                await log.waitForBytes(64 * 1024)
                let partial = try #require(try sandbox.contents().first { $0.hasSuffix(".partial") })
                let descriptor = open(sandbox.file(partial).path, O_RDONLY)
                try #require(descriptor >= 0)
                defer { close(descriptor) }
                #expect(flock(descriptor, LOCK_EX | LOCK_NB) == -1 && errno == EWOULDBLOCK, "the download holds it")

                download.cancel()
                _ = try? await download.value
                #expect(try sandbox.contents() == [])
            }
        }
    }

    @Test func cancelWhileQueued_throwsCancelled_withoutARequest() async throws {
        try await DownloadTestServer.run { server async throws in
            try await DownloadSandbox.run { sandbox async throws in
                let manager = DownloadManager.forTests(maxConcurrentDownloads: 1)
                let running = DownloadRequest(modelName: "a", url: server.url("/gate/a/60000"), destination: sandbox.file("a.bin"))
                let queued = DownloadRequest(modelName: "b", url: server.url("/file/100"), destination: sandbox.file("b.bin"))
                let first = await manager.start(running)
                let second = await manager.start(queued)
                #expect(manager.runningDownloads == 1 && manager.queuedDownloads == 1)

                second.cancel()
                await #expect {
                    try await second.value
                } throws: { error in
                    guard case DownloadError.cancelled("b", _) = error else { return false }
                    return true
                }
                #expect(manager.queuedDownloads == 0)
                try await server.open(gate: "a")
                _ = try await first.value
                #expect(try sandbox.contents() == ["a.bin"])
                #expect(try await server.stats().requests["/file/100"] == nil)
            }
        }
    }

    @Test func oneOfTwoCallersCancelled_theSharedDownloadGoesOnForTheOther() async throws {
        try await DownloadTestServer.run { server async throws in
            try await DownloadSandbox.run { sandbox async throws in
                let manager = DownloadManager.forTests()
                let request = DownloadRequest(modelName: "m", url: server.url("/gate/m/150000"), destination: sandbox.file("m.bin"))
                let log = DownloadProgressLog()
                let patient = await manager.start(request, progress: log.callback)
                await log.waitForBytes(0)
                let impatient = await manager.start(request)
                #expect(await manager.callers(of: request.destination) == 2)

                impatient.cancel()
                await #expect {
                    try await impatient.value
                } throws: { error in
                    guard case DownloadError.cancelled("m", _) = error else { return false }
                    return true
                }
                try await server.open(gate: "m")
                #expect(try await patient.value == sandbox.file("m.bin"))
                #expect(try sandbox.bytes(of: "m.bin") == DownloadTestServer.payload(size: 150_000))
                #expect(try await server.stats().totalRequests == 1)
            }
        }
    }

    @Test func cancelDuringBackoff_throwsCancelled() async throws {
        try await DownloadTestServer.run { server async throws in
            try await DownloadSandbox.run { sandbox async throws in
                let clock = ManualClock()
                let manager = DownloadManager(retries: 5, clock: clock)
                let request = DownloadRequest(modelName: "m", url: server.url("/status/500"), destination: sandbox.file("m.bin"))
                let download = Task { try await manager.download(request) }
                await clock.waitForSleepers(1)

                download.cancel()
                await #expect {
                    try await download.value
                } throws: { error in
                    guard case DownloadError.cancelled("m", _) = error else { return false }
                    return true
                }
                #expect(try sandbox.contents() == [])
                #expect(try await server.stats().requests["/status/500"] == 1)
            }
        }
    }
}
