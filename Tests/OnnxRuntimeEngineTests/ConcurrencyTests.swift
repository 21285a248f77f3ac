import Foundation
import ModelRegistry
import OnnxRuntimeEngine
import Testing

/// Several runs on one session at once each get their own correct result; cancelling a run's task stops it; runs in
/// flight when the model unloads finish.
@Suite(.timeLimit(.minutes(2))) struct ConcurrencyTests {
    @Test func run_manyAtOnceOnOneSession_eachGetsItsOwnResult() async throws {
        let engine = try await EngineFixtures.loaded(EngineFixtures.sigmoid)
        let results = try await withThrowingTaskGroup(of: (Int, [Float]).self) { group in
            for offset in 0..<24 {
                group.addTask {
                    let x = (0..<60).map { Float(offset) * 0.25 - 3 + Float($0) * 0.01 }
                    let y = try await engine.run(["x": Tensor(shape: [3, 4, 5], floats: x)])["y"]?.tensor?.floats
                    return (offset, y ?? [])
                }
            }
            var collected: [Int: [Float]] = [:]
            for try await (offset, y) in group { collected[offset] = y }
            return collected
        }
        #expect(results.count == 24)
        for (offset, y) in results {
            let x = (0..<60).map { Float(offset) * 0.25 - 3 + Float($0) * 0.01 }
            #expect(isClose(y, x.map { Float(1 / (1 + exp(-Double($0)))) }, tolerance: 1e-6), "run \(offset)")
        }
    }

    @Test func run_inCancelledTask_throwsCancelled() async throws {
        let engine = try await EngineFixtures.loaded(EngineFixtures.mul, name: "mul")
        let x = Tensor(shape: [3, 2], floats: [1, 2, 3, 4, 5, 6])
        let result = await Task {
            withUnsafeCurrentTask { $0?.cancel() }
            return await outcome { () throws(OnnxRuntimeError) in try await engine.run(["X": x]) }
        }.value
        #expect(throws: OnnxRuntimeError.cancelled(model: "mul")) { try result.get() }
        #expect(try await engine.run(["X": x])["Y"] != nil)
    }

    /// Runs that hold the model when `unload` is called finish with their own correct results after it returned; a
    /// run started after the unload fails with `notLoaded`.
    @Test func unload_whileRunsInFlight_letsThemFinish() async throws {
        // No run goes inline: each one suspends inside the engine, on the native queue, after it took the model.
        let engine = try await EngineFixtures.loaded(
            EngineFixtures.sigmoid, name: "sigmoid", parameters: ["inlineRunMicroseconds": "0"])
        let inputs: [[Float]] = (0..<8).map { (run: Int) -> [Float] in
            (0..<60).map { (index: Int) -> Float in Float(run) * 0.5 - 2 + Float(index) * 0.01 }
        }
        // The runs' tasks execute only when the test says so: the executor holds their jobs; and their native work
        // waits until the test lets it go, so every run is still in the engine when its first job ends.
        let executor = SteppedExecutor()
        let releaseNativeWork = engine.nativeQueue.holdForTesting()
        let returned = Locked(Set<Int>())
        let runs = inputs.enumerated().map { index, x in
            Task(executorPreference: executor) {
                defer { returned.withLock { _ = $0.insert(index) } }
                return try await engine.run(["x": Tensor(shape: [3, 4, 5], floats: x)])["y"]?.tensor?.floats
            }
        }
        await executor.waitForJobs(runs.count)
        // Each run's first job takes the loaded model, checks the inputs and hands the run to the native queue, where
        // it suspends.
        #expect(await executor.runQueued() == runs.count)
        let inFlight = runs.count - returned.withLock(\.count)
        #expect(inFlight == runs.count, "a run returned before its native work was let go")
        releaseNativeWork()

        await engine.unload()
        #expect(!engine.isLoaded)
        let late = await outcome { () throws(OnnxRuntimeError) in
            try await engine.run(["x": Tensor(shape: [3, 4, 5], floats: inputs[0])])
        }
        #expect(throws: OnnxRuntimeError.notLoaded(model: "sigmoid")) { try late.get() }
        // The others were in flight when unload was called: each is suspended in the engine, now waiting to resume,
        // and none has returned (a run resumes only through a job of the executor, and none has run since).
        await executor.waitForJobs(inFlight)
        #expect(returned.withLock(\.count) == runs.count - inFlight)

        executor.release()
        for (run, x) in zip(runs, inputs) {
            let output = try await run.value
            let y = try #require(output)
            #expect(isClose(y, x.map { Float(1 / (1 + exp(-Double($0)))) }, tolerance: 1e-6))
        }
    }
}
