import Foundation
@testable import ModelRegistry
import ModelRegistryTestSupport
import Testing

@Suite(.timeLimit(.minutes(2))) struct DownloadResumeTests {
    private static let size = 100_000

    @Test func retryAfterTruncation_asksOnlyForTheMissingBytes_andTheChecksumCoversTheWholeFile() async throws {
        try await DownloadTestServer.run { server async throws in
            try await DownloadSandbox.run { sandbox async throws in
                let path = "/resumable/1/\(Self.size)"
                let request = DownloadRequest(
                    modelName: "m", url: server.url(path), destination: sandbox.file("m.bin"),
                    expectedSHA256: try await server.sha256(ofPayloadOfSize: Self.size))
                let progress = DownloadProgressLog()

                let file = try await DownloadManager.forTests(retries: 2).download(request, progress: progress.callback)

                #expect(file == sandbox.file("m.bin"))
                #expect(try sandbox.bytes(of: "m.bin") == DownloadTestServer.payload(size: Self.size))
                #expect(try sandbox.contents() == ["m.bin"])
                let stats = try await server.stats()
                #expect(stats.ranges[path] == ["", "bytes=\(Self.size / 2)-"])
                #expect(stats.bytesSent[path] == Self.size)  // half, then the other half: nothing sent twice
                let second = progress.all.filter { $0.attempt == 2 }
                #expect(second.first?.bytesReceived == Int64(Self.size / 2))
                #expect(second.last?.bytesReceived == Int64(Self.size))
                #expect(second.allSatisfy { $0.totalBytes == Int64(Self.size) })
            }
        }
    }

    @Test func retryRefusedBeforeItsFirstByte_keepsTheResumePoint_soTheNextAsksForTheSameRange() async throws {
        try await DownloadTestServer.run { server async throws in
            try await DownloadSandbox.run { sandbox async throws in
                let path = "/thenbusy/\(Self.size)"  // half the file, then a 503, then the range
                let request = DownloadRequest(
                    modelName: "m", url: server.url(path), destination: sandbox.file("m.bin"),
                    expectedSHA256: try await server.sha256(ofPayloadOfSize: Self.size))

                _ = try await DownloadManager.forTests(retries: 3).download(request)

                #expect(try sandbox.bytes(of: "m.bin") == DownloadTestServer.payload(size: Self.size))
                let stats = try await server.stats()
                #expect(stats.ranges[path] == ["", "bytes=\(Self.size / 2)-", "bytes=\(Self.size / 2)-"])
                #expect(stats.bytesSent[path] == Self.size)  // nothing sent twice
            }
        }
    }

    @Test func serverThatNamesNoVersionOfTheFile_getsItFetchedWholeAgain_neverSpliced() async throws {
        try await DownloadTestServer.run { server async throws in
            try await DownloadSandbox.run { sandbox async throws in
                let path = "/novalidator/1/\(Self.size)"  // ranges served, but no ETag or Last-Modified
                let request = DownloadRequest(modelName: "m", url: server.url(path), destination: sandbox.file("m.bin"))

                _ = try await DownloadManager.forTests(retries: 2).download(request)

                #expect(try sandbox.bytes(of: "m.bin") == DownloadTestServer.payload(size: Self.size))
                let stats = try await server.stats()
                #expect(stats.ranges[path] == ["", ""])
                #expect(stats.bytesSent[path] == Self.size / 2 + Self.size)
            }
        }
    }

    @Test func serverThatIgnoresTheRange_getsTheWholeFileWrittenAgain() async throws {
        try await DownloadTestServer.run { server async throws in
            try await DownloadSandbox.run { sandbox async throws in
                let path = "/ignorerange/1/\(Self.size)"
                let request = DownloadRequest(
                    modelName: "m", url: server.url(path), destination: sandbox.file("m.bin"),
                    expectedSHA256: try await server.sha256(ofPayloadOfSize: Self.size))

                _ = try await DownloadManager.forTests(retries: 2).download(request)

                #expect(try sandbox.bytes(of: "m.bin") == DownloadTestServer.payload(size: Self.size))
                let stats = try await server.stats()
                #expect(stats.ranges[path] == ["", "bytes=\(Self.size / 2)-"])
                #expect(stats.bytesSent[path] == Self.size / 2 + Self.size)
            }
        }
    }

    @Test func resumedFileWithTheWrongChecksum_isRejectedAndRemoved() async throws {
        try await DownloadTestServer.run { server async throws in
            try await DownloadSandbox.run { sandbox async throws in
                let path = "/resumable/1/\(Self.size)"
                let wrong = String(repeating: "a", count: 64)
                let request = DownloadRequest(
                    modelName: "m", url: server.url(path), destination: sandbox.file("m.bin"), expectedSHA256: wrong)

                await #expect {
                    try await DownloadManager.forTests(retries: 2).download(request)
                } throws: { error in
                    guard case DownloadError.checksumMismatch("m", _, wrong, _) = error else { return false }
                    return true
                }
                #expect(try sandbox.contents() == [])
                #expect(try await server.stats().ranges[path] == ["", "bytes=\(Self.size / 2)-"])
            }
        }
    }

    @Test func serverWithoutRanges_isRetriedFromTheStart() async throws {
        try await DownloadTestServer.run { server async throws in
            try await DownloadSandbox.run { sandbox async throws in
                let path = "/truncate/\(Self.size)"
                let request = DownloadRequest(modelName: "m", url: server.url(path), destination: sandbox.file("m.bin"))

                await #expect(throws: DownloadError.self) {
                    try await DownloadManager.forTests(retries: 1).download(request)
                }
                #expect(try await server.stats().ranges[path] == ["", ""])
                #expect(try sandbox.contents() == [])
            }
        }
    }

    @Test func totalDeadline_endsADownloadThatKeepsGoing_andLeavesNoFile() async throws {
        try await DownloadTestServer.run { server async throws in
            try await DownloadSandbox.run { sandbox async throws in
                let clock = ManualClock()
                let manager = DownloadManager(
                    idleTimeout: .seconds(30), retries: 0, deadline: .seconds(600), clock: clock)
                let request = DownloadRequest(
                    modelName: "m", url: server.url("/stall/\(Self.size)"), destination: sandbox.file("m.bin"))
                let progress = DownloadProgressLog()
                let download = Task { try await manager.download(request, progress: progress.callback) }
                await progress.waitForBytes(0)  // the response arrived: the transfer is under way (then stalls)
                await clock.waitForSleepers()

                clock.advance(by: .seconds(600))

                await #expect {
                    try await download.value
                } throws: { error in
                    guard case DownloadError.deadlineExceeded("m", _, .seconds(600)) = error else { return false }
                    return true
                }
                #expect(try sandbox.contents() == [])
            }
        }
    }

    @Test func deadlineNotReached_changesNothing() async throws {
        try await DownloadTestServer.run { server async throws in
            try await DownloadSandbox.run { sandbox async throws in
                let manager = DownloadManager(idleTimeout: .seconds(30), retries: 0, deadline: .seconds(600))
                let request = DownloadRequest(
                    modelName: "m", url: server.url("/file/\(Self.size)"), destination: sandbox.file("m.bin"))

                _ = try await manager.download(request)

                #expect(try sandbox.bytes(of: "m.bin") == DownloadTestServer.payload(size: Self.size))
            }
        }
    }
}

@Suite(.timeLimit(.minutes(1))) struct ContentRangeTests {
    @Test(arguments: [
        ("bytes 50000-99999/100000", ContentRange(start: 50000, end: 99999, total: 100000)),
        ("bytes 0-0/*", ContentRange(start: 0, end: 0, total: nil)),
        ("BYTES 10-19/20", ContentRange(start: 10, end: 19, total: 20)),
    ])
    func parse_byteRange_readsStartEndAndTotal(header: String, expected: ContentRange) {
        #expect(ContentRange(header) == expected)
    }

    @Test(arguments: ["bytes */100", "items 0-1/2", "bytes 20-10/30", "bytes 0-99/50", "bytes 5-/10", ""])
    func parse_otherValues_isNil(header: String) {
        #expect(ContentRange(header) == nil)
    }
}
