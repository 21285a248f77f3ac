import Foundation
import ModelRegistry
import Testing

@Suite(.timeLimit(.minutes(2))) struct DownloadManagerTests {
    @Test func download_completeFile_landsWithServedBytesAndChecksum_andNothingElse() async throws {
        try await DownloadTestServer.run { server async throws in
            try await DownloadSandbox.run { sandbox async throws in
                let size = 1_048_576 + 123
                let expected = try await server.sha256(ofPayloadOfSize: size)
                let request = DownloadRequest(
                    modelName: "m", url: server.url("/file/\(size)"), destination: sandbox.file("m.bin"),
                    expectedSHA256: expected.uppercased()
                )
                let file = try await DownloadManager.forTests().download(request)

                #expect(file == sandbox.file("m.bin"))
                #expect(try sandbox.bytes(of: "m.bin") == DownloadTestServer.payload(size: size))
                #expect(SHA256.hex(try SHA256.hash(fileAt: file)) == expected)
                #expect(try sandbox.contents() == ["m.bin"])
            }
        }
    }

    @Test func download_removesTemporaryFilesAKilledProcessLeft_butNotLiveOnesOrOtherModels() async throws {
        try await DownloadTestServer.run { server async throws in
            try await DownloadSandbox.run { sandbox async throws in
                let abandoned = ".m.bin.\(UUID().uuidString).partial"
                let live = ".m.bin.\(UUID().uuidString).partial"
                let stalled = ".m.bin.\(UUID().uuidString).partial"  // old, but a live download holds its lock
                let otherModel = ".other.bin.\(UUID().uuidString).partial"
                let notOurs = ".m.bin.notes.partial"
                let hourAgo = Date(timeIntervalSinceNow: -3600)
                for name in [abandoned, live, stalled, otherModel, notOurs] {
                    #expect(FileManager.default.createFile(atPath: sandbox.file(name).path, contents: Data([1, 2, 3])))
                }
                for name in [abandoned, stalled, otherModel, notOurs] {
                    try FileManager.default.setAttributes(
                        [.modificationDate: hourAgo], ofItemAtPath: sandbox.file(name).path)
                }
                let holder = try FileHandle(forWritingTo: sandbox.file(stalled))
                defer { try? holder.close() }
                #expect(flock(holder.fileDescriptor, LOCK_EX | LOCK_NB) == 0)
                let request = DownloadRequest(
                    modelName: "m", url: server.url("/file/5000"), destination: sandbox.file("m.bin"))
                _ = try await DownloadManager.forTests(idleTimeout: .seconds(600)).download(request)  // "live" stays young

                #expect(try sandbox.contents() == [live, stalled, notOurs, otherModel, "m.bin"].sorted())
                #expect(try sandbox.bytes(of: "m.bin") == DownloadTestServer.payload(size: 5000))
            }
        }
    }

    @Test func progress_isMonotonic_andTheLastReportEqualsTheTotal() async throws {
        try await DownloadTestServer.run { server async throws in
            try await DownloadSandbox.run { sandbox async throws in
                let size = 300_000
                let log = DownloadProgressLog()
                let request = DownloadRequest(
                    modelName: "m", url: server.url("/slow/\(size)?chunk=16384&delay=0.005"),
                    destination: sandbox.file("m.bin")
                )
                _ = try await DownloadManager.forTests().download(request, progress: log.callback)

                let reports = log.all
                #expect(reports.count >= 2)
                #expect(reports.allSatisfy { $0.modelName == "m" && $0.totalBytes == Int64(size) && $0.attempt == 1 })
                #expect(reports.first?.bytesReceived == 0)
                #expect(reports.last?.bytesReceived == Int64(size))
                #expect(reports.last?.fraction == 1)
                log.expectMonotonic()
            }
        }
    }

    @Test func download_withoutContentLength_succeeds_withUnknownTotal() async throws {
        try await DownloadTestServer.run { server async throws in
            try await DownloadSandbox.run { sandbox async throws in
                let log = DownloadProgressLog()
                let request = DownloadRequest(
                    modelName: "m", url: server.url("/nolength/70000"), destination: sandbox.file("m.bin")
                )
                _ = try await DownloadManager.forTests().download(request, progress: log.callback)

                #expect(try sandbox.bytes(of: "m.bin") == DownloadTestServer.payload(size: 70000))
                #expect(log.all.allSatisfy { $0.totalBytes == nil && $0.fraction == nil })
                #expect(log.all.last?.bytesReceived == 70000)
            }
        }
    }

    @Test func download_gzipEncodedResponse_landsDecoded() async throws {
        try await DownloadTestServer.run { server async throws in
            try await DownloadSandbox.run { sandbox async throws in
                let request = DownloadRequest(
                    modelName: "m", url: server.url("/gzip/70000"), destination: sandbox.file("m.bin"),
                    expectedSHA256: try await server.sha256(ofPayloadOfSize: 70000)
                )
                _ = try await DownloadManager.forTests().download(request)
                #expect(try sandbox.bytes(of: "m.bin") == DownloadTestServer.payload(size: 70000))
            }
        }
    }

    @Test func download_destinationWithMatchingChecksum_isReturnedWithoutARequest() async throws {
        try await DownloadTestServer.run { server async throws in
            try await DownloadSandbox.run { sandbox async throws in
                try Data(DownloadTestServer.payload(size: 5000)).write(to: sandbox.file("m.bin"))
                let request = DownloadRequest(
                    modelName: "m", url: server.url("/file/5000"), destination: sandbox.file("m.bin"),
                    expectedSHA256: try await server.sha256(ofPayloadOfSize: 5000)
                )
                _ = try await DownloadManager.forTests().download(request)

                #expect(try await server.stats().requests["/file/5000"] == nil)
            }
        }
    }

    @Test func download_destinationWithOtherChecksum_isReplacedByTheCheckedFile() async throws {
        try await DownloadTestServer.run { server async throws in
            try await DownloadSandbox.run { sandbox async throws in
                try Data("stale".utf8).write(to: sandbox.file("m.bin"))
                let request = DownloadRequest(
                    modelName: "m", url: server.url("/file/5000"), destination: sandbox.file("m.bin"),
                    expectedSHA256: try await server.sha256(ofPayloadOfSize: 5000)
                )
                _ = try await DownloadManager.forTests().download(request)

                #expect(try sandbox.bytes(of: "m.bin") == DownloadTestServer.payload(size: 5000))
                #expect(try sandbox.contents() == ["m.bin"])
            }
        }
    }

    @Test func download_localFileOrPath_isReturnedAsIs_andMissingOneFails() async throws {
        try await DownloadSandbox.run { sandbox async throws in
            try Data("local".utf8).write(to: sandbox.file("local.onnx"))
            let manager = DownloadManager.forTests()
            let elsewhere = sandbox.file("unused")
            let byURL = DownloadRequest(modelName: "m", url: sandbox.file("local.onnx"), destination: elsewhere)
            let byPath = DownloadRequest(
                modelName: "m", url: URL(string: sandbox.file("local.onnx").path)!, destination: elsewhere
            )
            #expect(try await manager.download(byURL).path == sandbox.file("local.onnx").path)
            #expect(try await manager.download(byPath).path == sandbox.file("local.onnx").path)
            #expect(try sandbox.contents() == ["local.onnx"])

            let missing = DownloadRequest(modelName: "m", url: sandbox.file("missing.onnx"), destination: elsewhere)
            await #expect {
                try await manager.download(missing)
            } throws: { error in
                guard case DownloadError.localFileMissing(let model, let path) = error else { return false }
                return model == "m" && path.hasSuffix("missing.onnx")
            }
        }
    }

    @Test func download_unsupportedScheme_failsAtOnce() async throws {
        let request = DownloadRequest(
            modelName: "m", url: URL(string: "ftp://example.com/m.bin")!, destination: URL(fileURLWithPath: "/tmp/x")
        )
        await #expect {
            try await DownloadManager.forTests().download(request)
        } throws: { error in
            guard case DownloadError.unsupportedURL(let model, _) = error else { return false }
            return model == "m"
        }
    }

    @Test func requestInDirectory_namesTheFileAfterTheURL() {
        let directory = URL(fileURLWithPath: "/models", isDirectory: true)
        let a = DownloadRequest(modelName: "a", url: URL(string: "https://a.example/x/model.gguf")!, directory: directory)
        let b = DownloadRequest(modelName: "b", url: URL(string: "https://b.example/y/model.gguf")!, directory: directory)
        #expect(a.destination.deletingLastPathComponent().path == "/models")
        #expect(a.destination.lastPathComponent.hasSuffix("-model.gguf"))
        #expect(a.destination != b.destination)
        #expect(DownloadRequest.remoteURL(in: "https://a.example/x/model.gguf") != nil)
        #expect(DownloadRequest.remoteURL(in: "/models/model.gguf") == nil)
        #expect(DownloadRequest.remoteURL(in: "file:///models/model.gguf") == nil)
    }
}
