import ExampleSupport
import Dispatch
import Foundation
import ModelPreflight
import ModelRegistry
import ModelRegistryTestSupport
import Testing

/// Seeded mutations of the GGUF fixtures, each loaded through the engine (validator, then libllama, then one decoded
/// token) in the `model-preflight` child, so an abort fails this test with the file's seed and mutations instead of
/// killing the test runner. A file must either load and decode, or be refused with an error that names it.
///
/// `MODELREGISTRY_FUZZ_SEED` and `MODELREGISTRY_FUZZ_COUNT` replay or widen a run (defaults: 11000, 300; under the
/// thread sanitizer 100 files, one child at a time: each child is then a TSan build several times slower, and `make
/// test`'s TSan pass runs every other suite beside this one on the same 2 cores). A mutation that crashes belongs in
/// `Fixtures/` as a regression file once the validator refuses it.
@Suite(.timeLimit(.minutes(5))) struct FuzzTests {
    /// Files per child process; a crash restarts the batch after the file that crashed.
    private static let batchSize = 40

    private struct Case: Sendable {
        let seed: UInt64
        let base: String
        let mutations: [String]
        let url: URL
    }

    @Test func mutatedGGUFFiles_neverAbortTheProcessThatLoadsThem() async throws {
        let environment = ProcessInfo.processInfo.environment
        let firstSeed = environment["MODELREGISTRY_FUZZ_SEED"].flatMap(UInt64.init) ?? 11_000
        let count = environment["MODELREGISTRY_FUZZ_COUNT"].flatMap(Int.init) ?? (Self.underThreadSanitizer ? 100 : 300)
        let folder = try NativeFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        // mostly the 34 KB file (fast to load), some of the 577 KB one (two layers, the real test fixture)
        let bases = [
            ("small-llama", GGUFMutator(validFile: Array(try Data(contentsOf: LlamaFixtures.regressionFixture("small-llama"))))),
            ("tiny-llama", GGUFMutator(validFile: Array(try Data(contentsOf: LlamaFixtures.tinyLLM)))),
        ]
        var cases: [Case] = []
        for index in 0..<count {
            let seed = firstSeed + UInt64(index)
            let (base, mutator) = bases[index % 5 == 4 ? 1 : 0]
            let (bytes, mutations) = mutator.mutate(seed: seed)
            let url = folder.appendingPathComponent("fuzz-\(seed).gguf")
            try Data(bytes).write(to: url)
            cases.append(Case(seed: seed, base: base, mutations: mutations, url: url))
        }
        let child = try Self.preflightProgram()
        let batches = stride(from: 0, to: cases.count, by: Self.batchSize).map {
            Array(cases[$0..<min($0 + Self.batchSize, cases.count)])
        }
        // two children at a time (the CI machine has 2 cores), one under TSan
        let width = Self.underThreadSanitizer ? 1 : 2
        let verdicts = try await withThrowingTaskGroup(of: [Verdict].self) { group in
            var pending = batches[...]
            for batch in pending.prefix(width) { group.addTask { try await Self.run(batch, child: child) } }
            pending = pending.dropFirst(width)
            var all: [Verdict] = []
            while let done = try await group.next() {
                all += done
                if let batch = pending.popFirst() { group.addTask { try await Self.run(batch, child: child) } }
            }
            return all
        }
        #expect(verdicts.count == cases.count)
        for verdict in verdicts {
            switch verdict.result {
            case .passed: break
            case .refused(let message):
                #expect(message.contains(verdict.case.url.lastPathComponent), "seed \(verdict.case.seed): \(message)")
            case .crashed(let status, let stderr):
                Issue.record("""
                    seed \(verdict.case.seed) (\(verdict.case.base): \(verdict.case.mutations.joined(separator: "; "))) \
                    killed the loading process (\(status)): \(stderr)
                    """)
            }
        }
        let refused = verdicts.filter { if case .refused = $0.result { true } else { false } }.count
        print("fuzz: \(cases.count) files from seed \(firstSeed): \(cases.count - refused) loaded, \(refused) refused")
    }

    private struct Verdict: Sendable {
        enum Result: Sendable {
            case passed
            case refused(String)
            case crashed(String, String)
        }
        let `case`: Case
        let result: Result
    }

    /// Runs the cases through children, restarting after a crash.
    private static func run(_ cases: [Case], child: URL) async throws -> [Verdict] {
        var verdicts: [Verdict] = []
        var remaining = cases[...]
        while !remaining.isEmpty {
            let output = try await runChild(child, files: remaining.map(\.url.path))
            var started: Int?
            var settled = 0
            for line in output.lines {
                let words = line.split(separator: " ", maxSplits: 2).map(String.init)
                guard words.count >= 2, let index = Int(words[1]), index < remaining.count else { continue }
                let item = remaining[remaining.startIndex + index]
                switch words[0] {
                case "begin": started = index
                case "pass": verdicts.append(Verdict(case: item, result: .passed))
                case "refused": verdicts.append(Verdict(case: item, result: .refused(words.count > 2 ? words[2] : "")))
                default: continue
                }
                if words[0] != "begin" { settled += 1; started = nil }
            }
            if let started, !output.exitedNormally {
                let lines = output.standardError.split(whereSeparator: \.isNewline)
                let native = lines.last { $0.contains("GGML_ASSERT") } ?? lines.last ?? ""
                verdicts.append(Verdict(
                    case: remaining[remaining.startIndex + started], result: .crashed(output.status, String(native))))
                remaining = remaining.dropFirst(started + 1)
            } else {
                try #require(
                    settled == remaining.count, "the child stopped early: \(output.status) \(output.standardError.suffix(500))")
                remaining = []
            }
        }
        return verdicts
    }

    private struct ChildOutput {
        let lines: [String]
        let standardError: String
        let exitedNormally: Bool
        let status: String
    }

    private static func runChild(_ child: URL, files: [String]) async throws -> ChildOutput {
        let template = """
            {"name":"fuzz","engine":"llamacpp","type":"llm","path":"","contextLength":64,"batchSize":64,"threads":1}
            """
        var environment = PreflightProcess.childEnvironment()  // what the engines give their children
        environment["MODELREGISTRY_LLAMA_LOG"] = "error"
        let run = try await ChildProcess.run(child, ["--batch", template] + files, environment: environment)
        return ChildOutput(
            lines: run.stdout.split(whereSeparator: \.isNewline).map(String.init),
            standardError: run.stderr,
            exitedNormally: !run.signalled && [0, 3].contains(run.status),
            status: run.signalled ? "signal \(run.status)" : "exit \(run.status)")
    }

    /// Whether this process runs under the thread sanitizer (its runtime is linked in).
    private static let underThreadSanitizer: Bool = {
        let handle = dlopen(nil, RTLD_NOW)
        defer { if let handle { dlclose(handle) } }
        return dlsym(handle, "__tsan_init") != nil
    }()

    /// The `model-preflight` program: `$MODELREGISTRY_PREFLIGHT`, else beside the test bundle in the build folder.
    private static func preflightProgram() throws -> URL {
        if let path = ProcessInfo.processInfo.environment["MODELREGISTRY_PREFLIGHT"], !path.isEmpty {
            return URL(fileURLWithPath: path)
        }
        var folder = try #require(Bundle.main.executableURL).resolvingSymlinksInPath().deletingLastPathComponent()
        if folder.path.hasSuffix(".xctest/Contents/MacOS") {
            folder = folder.deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        }
        let program = folder.appendingPathComponent("model-preflight")
        try #require(FileManager.default.isExecutableFile(atPath: program.path), "build model-preflight: \(program.path)")
        return program
    }
}
