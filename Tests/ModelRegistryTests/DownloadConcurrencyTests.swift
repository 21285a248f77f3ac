import Foundation
import ModelRegistry
import ModelRegistryTestSupport
import Testing

@Suite(.timeLimit(.minutes(2))) struct DownloadConcurrencyTests {
    @Test func limitOfTwo_fiveSlowDownloads_serverNeverSeesMoreThanTwo_andAllComplete() async throws {
        try await DownloadTestServer.run { server async throws in
            try await DownloadSandbox.run { sandbox async throws in
                let manager = DownloadManager.forTests(maxConcurrentDownloads: 2)
                let size = 40_000
                let files = try await withThrowingTaskGroup(of: URL.self) { group in
                    for index in 0..<5 {
                        let request = DownloadRequest(
                            modelName: "m\(index)", url: server.url("/slow/\(size + index)?chunk=8192&delay=0.02"),
                            destination: sandbox.file("m\(index).bin")
                        )
                        group.addTask { try await manager.download(request) }
                    }
                    return try await group.reduce(into: []) { $0.append($1) }
                }

                #expect(files.count == 5)
                let stats = try await server.stats()
                #expect(stats.maxConcurrent <= 2)
                #expect(stats.totalRequests == 5)
                for index in 0..<5 {
                    #expect(try sandbox.bytes(of: "m\(index).bin") == DownloadTestServer.payload(size: size + index))
                }
            }
        }
    }

    @Test func queuedDownloads_startInTheOrderTheyWereRequested() async throws {
        try await DownloadTestServer.run { server async throws in
            try await DownloadSandbox.run { sandbox async throws in
                let manager = DownloadManager.forTests(maxConcurrentDownloads: 1)
                func request(_ name: String, _ path: String) -> DownloadRequest {
                    DownloadRequest(modelName: name, url: server.url(path), destination: sandbox.file("\(name).bin"))
                }
                let progress = DownloadProgressLog()
                let first = await manager.start(request("a", "/gate/a/40000"), progress: progress.callback)
                #expect(manager.runningDownloads == 1)
                var queued: [Task<URL, any Error>] = []
                for (offset, name) in ["b", "c", "d"].enumerated() {
                    queued.append(await manager.start(request(name, "/file/\(40_001 + offset)")))
                    #expect(manager.queuedDownloads == offset + 1)
                }
                // the response to "a" arrived: it holds the only slot while the server holds the rest of its body
                await progress.waitForBytes(0)
                #expect(manager.runningDownloads == 1 && manager.queuedDownloads == 3)
                try await server.open(gate: "a")
                _ = try await first.value
                _ = try await queued.asyncValues()

                let log = try await server.stats().log
                #expect(log == ["/gate/a/40000", "/file/40001", "/file/40002", "/file/40003"])
            }
        }
    }

    @Test func concurrentCallsForOneDestination_shareOneDownload_andAllGetProgress() async throws {
        try await DownloadTestServer.run { server async throws in
            try await DownloadSandbox.run { sandbox async throws in
                let manager = DownloadManager.forTests()
                let request = DownloadRequest(
                    modelName: "m", url: server.url("/gate/m/200000"), destination: sandbox.file("m.bin")
                )
                let logs = [DownloadProgressLog(), DownloadProgressLog(), DownloadProgressLog()]
                let first = await manager.start(request, progress: logs[0].callback)
                await logs[0].waitForBytes(0)
                var others: [Task<URL, any Error>] = []
                for log in logs.dropFirst() { others.append(await manager.start(request, progress: log.callback)) }
                #expect(await manager.callers(of: request.destination) == 3)
                try await server.open(gate: "m")

                let files = [try await first.value] + (try await others.asyncValues())
                #expect(Set(files) == [sandbox.file("m.bin")])
                #expect(try await server.stats().totalRequests == 1)
                for log in logs { #expect(log.all.last?.bytesReceived == 200_000) }
                #expect(try sandbox.bytes(of: "m.bin") == DownloadTestServer.payload(size: 200_000))
                #expect(await manager.callers(of: request.destination) == 0)
            }
        }
    }

    @Test func callForABusyDestination_fromAnotherURL_failsWithConflict() async throws {
        try await DownloadTestServer.run { server async throws in
            try await DownloadSandbox.run { sandbox async throws in
                let manager = DownloadManager.forTests()
                let log = DownloadProgressLog()
                let running = DownloadRequest(
                    modelName: "m", url: server.url("/gate/m/100000"), destination: sandbox.file("m.bin")
                )
                let first = Task { try await manager.download(running, progress: log.callback) }
                await log.waitForBytes(0)

                var other = running
                other.url = server.url("/file/100")
                await #expect {
                    try await manager.download(other)
                } throws: { error in
                    guard case DownloadError.conflictingDownload(let model, _, let runningURL) = error else { return false }
                    return model == "m" && runningURL == running.url
                }
                try await server.open(gate: "m")
                _ = try await first.value
            }
        }
    }
}

extension Array {
    /// The values of tasks, awaited in order.
    func asyncValues<Value: Sendable>() async throws -> [Value] where Element == Task<Value, any Error> {
        var values: [Value] = []
        for task in self { values.append(try await task.value) }
        return values
    }
}
