import Foundation
import LlamaEngine
import ModelPreflight
import ModelRegistry
import ModelRegistryTestSupport
import Testing

/// The isolated preflight: files on which libllama aborts fail the load with the child's native message while this
/// process keeps running; passes are cached; the child is found, bounded and cancelled.
@Suite(.timeLimit(.minutes(3))) struct PreflightTests {
    /// A fresh folder holding a copy of `fixture` (so its verdict is new) and an empty verdict cache.
    private struct Scratch {
        let folder: URL
        let model: URL
        var cache: URL { folder.appendingPathComponent("verdicts") }

        init(copying fixture: URL) throws {
            folder = try NativeFixtures.temporaryDirectory()
            model = folder.appendingPathComponent(fixture.lastPathComponent)
            try FileManager.default.copyItem(at: fixture, to: model)
        }

        func parameters(_ mode: String, _ extra: [String: String] = [:]) -> [String: String] {
            ["preflight": mode, "preflightCache": cache.path].merging(extra) { $1 }
        }

        func verdicts() -> [String] { (try? FileManager.default.contentsOfDirectory(atPath: cache.path)) ?? [] }
        func remove() { try? FileManager.default.removeItem(at: folder) }
    }

    private func load(
        _ url: URL, parameters: [String: String], loadTimeout: Duration? = nil, sha256: String? = nil,
        verifiedSHA256: String? = nil
    ) async throws {
        var configuration = LlamaFixtures.configuration(url, name: "checked", parameters: parameters)
        configuration.loadTimeout = loadTimeout
        configuration.sha256 = sha256
        let engine = LlamaEngine()
        try await engine.load(
            EngineLoadContext(modelID: ModelID(), configuration: configuration, verifiedSHA256: verifiedSHA256))
        await engine.unload()
    }

    @Test func fileThatAbortsLibllama_failsTheLoadWithTheChildsAssert_andThisProcessSurvives() async throws {
        // deci's layout is not shape-checked: the validator passes it and ggml aborts in the first graph
        let scratch = try Scratch(copying: LlamaFixtures.regressionFixture("crash-deci-key-value-length-differ"))
        defer { scratch.remove() }
        let error = try await #require(throws: PreflightError.self) {
            try await load(scratch.model, parameters: scratch.parameters("auto"))
        }
        guard case .childCrashed(let model, let path, let signal, let message) = error else {
            Issue.record("unexpected \(error)")
            return
        }
        #expect(model == "checked" && path == scratch.model.path)
        #expect(signal == SIGABRT)
        #expect(message?.contains("GGML_ASSERT(n_embd_head == hparams.n_embd_head_k()) failed") == true)
        #expect(error.description.contains(scratch.model.path) && error.description.contains("SIGABRT"))
        #expect(scratch.verdicts().isEmpty)  // a crash is not cached as a pass
    }

    @Test func passingFile_isCheckedOnce_thenLoadsFromTheCachedVerdict() async throws {
        let scratch = try Scratch(copying: LlamaFixtures.tinyLLM)
        defer { scratch.remove() }
        try await load(scratch.model, parameters: scratch.parameters("auto"))
        #expect(scratch.verdicts().count == 1)
        // no child can be started now, so the second load succeeds only from the cached verdict
        let nowhere = scratch.folder.appendingPathComponent("no-such-preflight").path
        try await load(scratch.model, parameters: scratch.parameters("auto", ["preflightExecutable": nowhere]))
        await #expect(throws: PreflightError.self) {
            try await load(scratch.model, parameters: scratch.parameters("always", ["preflightExecutable": nowhere]))
        }
    }

    @Test func rewrittenFile_isCheckedAgain() async throws {
        let scratch = try Scratch(copying: LlamaFixtures.tinyLLM)
        defer { scratch.remove() }
        try await load(scratch.model, parameters: scratch.parameters("auto"))
        let bytes = try Data(contentsOf: scratch.model)
        try FileManager.default.removeItem(at: scratch.model)
        try bytes.write(to: scratch.model)  // a new inode: another file as far as the cache knows
        let nowhere = scratch.folder.appendingPathComponent("no-such-preflight").path
        await #expect(throws: PreflightError.self) {
            try await load(scratch.model, parameters: scratch.parameters("auto", ["preflightExecutable": nowhere]))
        }
    }

    @Test func symlinkedFile_isPreflightedAndLoads_andItsVerdictIsTheTargets() async throws {
        let scratch = try Scratch(copying: LlamaFixtures.tinyLLM)
        defer { scratch.remove() }
        // how a Hugging Face cache stores files: snapshots/<revision>/model.gguf -> ../../blobs/<hash>
        let link = scratch.folder.appendingPathComponent("link.gguf")
        try FileManager.default.createSymbolicLink(at: link, withDestinationURL: scratch.model)
        #expect(try GGUFValidator().validate(path: link.path).architecture == "llama")
        try await load(link, parameters: scratch.parameters("auto"))
        #expect(scratch.verdicts().count == 1)
        // the verdict is the target's: a second link to it needs no child
        let other = scratch.folder.appendingPathComponent("other.gguf")
        try FileManager.default.createSymbolicLink(at: other, withDestinationURL: scratch.model)
        let nowhere = scratch.folder.appendingPathComponent("no-such-preflight").path
        try await load(other, parameters: scratch.parameters("auto", ["preflightExecutable": nowhere]))
        try await load(scratch.model, parameters: scratch.parameters("auto", ["preflightExecutable": nowhere]))
    }

    @Test func localFileReplacedBySameSizedBytes_isCheckedAgainDespiteItsConfiguredHash() async throws {
        let scratch = try Scratch(copying: LlamaFixtures.tinyLLM)
        defer { scratch.remove() }
        let hash = SHA256.hex(try SHA256.hash(fileAt: scratch.model))
        try await load(scratch.model, parameters: scratch.parameters("auto"), sha256: hash)
        var bytes = [UInt8](try Data(contentsOf: scratch.model))
        bytes[bytes.count - 1] ^= 0xFF  // a weight: the file still validates, but it is not the file that passed
        try FileManager.default.removeItem(at: scratch.model)
        try Data(bytes).write(to: scratch.model)
        let nowhere = scratch.folder.appendingPathComponent("no-such-preflight").path
        let parameters = scratch.parameters("auto", ["preflightExecutable": nowhere])
        await #expect(throws: PreflightError.self) { try await load(scratch.model, parameters: parameters, sha256: hash) }
    }

    @Test func copyWithTheConfiguredHash_reusesThePassOfTheSameBytes() async throws {
        let scratch = try Scratch(copying: LlamaFixtures.tinyLLM)
        defer { scratch.remove() }
        let hash = SHA256.hex(try SHA256.hash(fileAt: scratch.model))
        try await load(scratch.model, parameters: scratch.parameters("auto"), sha256: hash)
        let bytes = try Data(contentsOf: scratch.model)
        try FileManager.default.removeItem(at: scratch.model)
        try bytes.write(to: scratch.model)  // a re-downloaded copy: a new inode, the same bytes
        let nowhere = scratch.folder.appendingPathComponent("no-such-preflight").path
        try await load(scratch.model, parameters: scratch.parameters("auto", ["preflightExecutable": nowhere]), sha256: hash)
    }

    @Test func hashTheRegistryVerified_isBelieved_withoutReadingTheFileAgain() async throws {
        let scratch = try Scratch(copying: LlamaFixtures.tinyLLM)
        defer { scratch.remove() }
        // a claimed hash the bytes do not have: only a cache that hashed the file would refuse its content key
        let claimed = String(repeating: "ab", count: 32)
        try await load(scratch.model, parameters: scratch.parameters("auto"), sha256: claimed)
        #expect(scratch.verdicts().count == 1, "hashed, found different: identity key only")

        let other = try Scratch(copying: LlamaFixtures.tinyLLM)
        defer { other.remove() }
        try await load(other.model, parameters: other.parameters("auto"), sha256: claimed, verifiedSHA256: claimed)
        #expect(other.verdicts().count == 2, "the registry's check is believed: not hashed again")
        #expect(other.verdicts().contains { $0.contains("-sha256-\(claimed)-") }, "\(other.verdicts())")
    }

    @Test func linkRepointedAfterThePreflight_isNotOpened_andTheErrorSaysWhy() async throws {
        let scratch = try Scratch(copying: LlamaFixtures.tinyLLM)
        defer { scratch.remove() }
        let link = scratch.folder.appendingPathComponent("snapshot.gguf")
        try FileManager.default.createSymbolicLink(at: link, withDestinationURL: scratch.model)
        let configuration = LlamaFixtures.configuration(link, name: "checked", parameters: scratch.parameters("auto"))
        let context = EngineLoadContext(modelID: ModelID(), configuration: configuration)
        let clearance = try #require(try await Preflight.check(context) { _ in true })
        try clearance.confirm()  // unchanged: the load goes on

        // the cache updates the snapshot: the link now leads to a file no preflight has seen
        let update = scratch.folder.appendingPathComponent("update.gguf")
        try FileManager.default.copyItem(at: scratch.model, to: update)
        try FileManager.default.removeItem(at: link)
        try FileManager.default.createSymbolicLink(at: link, withDestinationURL: update)
        let error = try #require(throws: PreflightError.self) { try clearance.confirm() }
        guard case .fileChanged(let model, let path) = error else { Issue.record("unexpected \(error)"); return }
        #expect(model == "checked" && path == link.path)
        #expect(error.description.contains("re-pointed after its preflight"))
    }

    /// A stand-in child that prints `lines` and exits with the refused status, as a child whose engine refused the
    /// file does.
    private func refusingChild(in folder: URL, printing lines: [String]) throws -> URL {
        let child = folder.appendingPathComponent("refusing-preflight")
        let script = "#!/bin/sh\n" + lines.map { "echo '\($0)'\n" }.joined() + "exit \(Preflight.refusedStatus)\n"
        try script.write(to: child, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: child.path)
        return child
    }

    @Test func fileTheChildsLibllamaRefused_isNotOpenedInTheHost_andFailsWithLibllamasReason() async throws {
        let scratch = try Scratch(copying: LlamaFixtures.tinyLLM)
        defer { scratch.remove() }
        let reason = "the stand-in libllama refused it"
        let lines = ["begin 0"] + PreflightRefusal.reportLines(
            index: 0, message: "model \"checked\": libllama could not load it: \(reason)",
            nativeStatus: .init(code: 0, message: reason))
        let child = try refusingChild(in: scratch.folder, printing: lines)
        // the tiny model loads in-process, so only the child's refusal can fail this load
        let error = try await #require(throws: LlamaError.self) {
            try await load(scratch.model, parameters: scratch.parameters("always", ["preflightExecutable": child.path]))
        }
        guard case .modelLoadFailed(let model, let path, let given) = error else {
            Issue.record("unexpected \(error)")
            return
        }
        #expect(model == "checked" && path == scratch.model.path && given == reason)
        #expect(scratch.verdicts().isEmpty)
    }

    @Test func fileTheChildRefusedForAnotherReason_isNotOpenedInTheHost_andTheErrorSaysWhy() async throws {
        let scratch = try Scratch(copying: LlamaFixtures.tinyLLM)
        defer { scratch.remove() }
        let child = try refusingChild(in: scratch.folder, printing: ["begin 0", "refused 0 the decode failed"])
        let error = try await #require(throws: PreflightError.self) {
            try await load(scratch.model, parameters: scratch.parameters("always", ["preflightExecutable": child.path]))
        }
        guard case .childRefused(let model, let path, let reason) = error else {
            Issue.record("unexpected \(error)")
            return
        }
        #expect(model == "checked" && path == scratch.model.path && reason == "the decode failed")
        #expect(error.description.contains("was not opened in this process"))
    }

    @Test func refusalReport_roundTripsAMultiLineMessageAndTheNativeStatus() throws {
        let status = PreflightRefusal.NativeStatus(code: 7, message: "Protobuf parsing failed. {\"quoted\": 1}")
        let lines = PreflightRefusal.reportLines(index: 2, message: "first line\nsecond line", nativeStatus: status)
        let output = (["begin 2", "refused 1 another file's refusal"] + lines + ["begin 3"]).joined(separator: "\n")
        let refusal = try #require(PreflightRefusal(standardOutput: output, index: 2))
        #expect(refusal == PreflightRefusal(message: "first line second line", nativeStatus: status))
        #expect(PreflightRefusal(standardOutput: output, index: 1) == PreflightRefusal(message: "another file's refusal"))
        #expect(PreflightRefusal(standardOutput: output, index: 3) == nil)
    }

    @Test func verdict_isKeyedByTheFilesDeviceAndInode() async throws {
        let scratch = try Scratch(copying: LlamaFixtures.tinyLLM)
        defer { scratch.remove() }
        try await load(scratch.model, parameters: scratch.parameters("auto"))
        var status = stat()
        try #require(stat(scratch.model.path, &status) == 0)
        #expect(status.st_dev != 0)
        #expect(scratch.verdicts().contains { $0.contains("-file-\(status.st_dev)-\(status.st_ino)-") }, "\(scratch.verdicts())")
    }

    @Test func missingProgram_errorNamesWhereItLooked() async throws {
        let scratch = try Scratch(copying: LlamaFixtures.tinyLLM)
        defer { scratch.remove() }
        let nowhere = scratch.folder.appendingPathComponent("no-such-preflight").path
        let error = try await #require(throws: PreflightError.self) {
            try await load(scratch.model, parameters: scratch.parameters("always", ["preflightExecutable": nowhere]))
        }
        guard case .executableNotFound(_, let searched) = error else { Issue.record("unexpected \(error)"); return }
        #expect(searched.contains { $0.contains(nowhere) })
        #expect(error.description.contains("preflight = never"))
    }

    @Test func modeNever_loadsWithoutAChild() async throws {
        let scratch = try Scratch(copying: LlamaFixtures.tinyLLM)
        defer { scratch.remove() }
        let nowhere = scratch.folder.appendingPathComponent("no-such-preflight").path
        try await load(scratch.model, parameters: scratch.parameters("never", ["preflightExecutable": nowhere]))
        #expect(scratch.verdicts().isEmpty)
    }

    @Test func unknownMode_throwsInvalidParameter() async throws {
        let error = try await #require(throws: PreflightError.self) {
            try await load(LlamaFixtures.tinyLLM, parameters: ["preflight": "sometimes"])
        }
        guard case .invalidParameter(_, "preflight", "sometimes", let expected) = error else {
            Issue.record("unexpected \(error)")
            return
        }
        #expect(expected.contains("auto") && expected.contains("never"))
    }

    @Test func childSlowerThanTheLoadTimeout_isKilled() async throws {
        let scratch = try Scratch(copying: LlamaFixtures.tinyLLM)
        defer { scratch.remove() }
        let error = try await #require(throws: PreflightError.self) {
            try await load(scratch.model, parameters: scratch.parameters("always"), loadTimeout: .milliseconds(1))
        }
        guard case .timedOut(_, let path, .milliseconds(1)) = error else { Issue.record("unexpected \(error)"); return }
        #expect(path == scratch.model.path)
    }

    @Test func cancelledLoad_killsTheChild_andThrowsCancellation() async throws {
        let scratch = try Scratch(copying: LlamaFixtures.tinyLLM)
        defer { scratch.remove() }
        // A child that runs until it is killed: the cancel always finds it running, whatever the machine's speed.
        let child = try BlockingPreflightChild(in: scratch.folder)
        let parameters = scratch.parameters("always", ["preflightExecutable": child.program.path])
        let load = Task { try await self.load(scratch.model, parameters: parameters) }
        let watcher = Task {
            _ = await load.result
            child.abandon()  // a load that ends before its child started fails the wait below instead of hanging
        }
        let pid = try await child.started()
        #expect(kill(pid, 0) == 0, "the child runs")

        load.cancel()
        await #expect(throws: CancellationError.self) { try await load.value }
        // The load returns once its child has ended; the child ignores every signal it can and sleeps for an hour.
        let signalled = kill(pid, 0), reason = errno
        #expect(signalled == -1 && reason == ESRCH, "child \(pid) still exists")
        #expect(scratch.verdicts().isEmpty)
        await watcher.value
    }

    @Test func crashThroughTheRegistry_marksTheRecordFailedWithTheNativeMessage() async throws {
        let scratch = try Scratch(copying: LlamaFixtures.regressionFixture("crash-deci-key-value-length-differ"))
        defer { scratch.remove() }
        var factory = EngineFactory()
        factory.register(LlamaEngine.self, engine: .llamacpp, modelType: .llm)
        let configuration = LlamaFixtures.configuration(scratch.model, name: "deci", parameters: scratch.parameters("auto"))
        let registry = ModelRegistry(factory: factory, models: [configuration])
        await #expect(throws: RegistryError.self) { try await registry.load("deci") }
        let state = try await registry.state(of: "deci")
        guard case .failed(let reason) = state else { Issue.record("unexpected state \(state)"); return }
        #expect("\(reason)".contains("GGML_ASSERT") && "\(reason)".contains(scratch.model.path))
    }
}
