@testable import OnnxRuntimeEngine
import Testing

/// Where runs execute: the native queue until a model's runs are measured, then inline when they fit the budget.
@Suite(.timeLimit(.minutes(2))) struct RunCostEstimateTests {
    @Test func beforeTheWarmUpRuns_everyRunGoesToTheNativeQueue() {
        var estimate = RunCostEstimate(inlineBudget: .microseconds(50))
        for _ in 1..<RunCostEstimate.warmUpRuns {
            #expect(estimate.placement(elements: 6) == .nativeQueue)
            estimate.record(.microseconds(1), elements: 6)
        }
        #expect(estimate.placement(elements: 6) == .nativeQueue)
        #expect(estimate.inlineRuns == 0)
    }

    @Test func measuredShortRuns_goInline_andAreCounted() {
        var estimate = RunCostEstimate(inlineBudget: .microseconds(50))
        for _ in 0..<RunCostEstimate.warmUpRuns { estimate.record(.microseconds(6), elements: 6) }
        #expect(estimate.nanosecondsPerElement == 1_000)
        #expect(estimate.placement(elements: 6) == .inline)
        #expect(estimate.placement(elements: 50) == .inline)  // 50 µs expected: within the budget
        #expect(estimate.inlineRuns == 2)
    }

    @Test func aLargerBatch_isExpectedToTakeLonger_andGoesToTheNativeQueue() {
        var estimate = RunCostEstimate(inlineBudget: .microseconds(50))
        for _ in 0..<RunCostEstimate.warmUpRuns { estimate.record(.microseconds(6), elements: 6) }
        #expect(estimate.placement(elements: 51) == .nativeQueue)  // 51 µs expected
        #expect(estimate.inlineRuns == 0)
    }

    @Test func runsThatBecomeSlow_moveBackToTheNativeQueue() {
        var estimate = RunCostEstimate(inlineBudget: .microseconds(50))
        for _ in 0..<RunCostEstimate.warmUpRuns { estimate.record(.microseconds(10), elements: 1) }
        #expect(estimate.placement(elements: 1) == .inline)
        var slowRuns = 0
        while estimate.placement(elements: 1) == .inline {
            estimate.record(.milliseconds(1), elements: 1)
            slowRuns += 1
        }
        #expect(slowRuns == RunCostEstimate.window)  // once every recent run was slow
        #expect(estimate.placement(elements: 1) == .nativeQueue)
    }

    @Test func spikes_fromAPreemptedThread_doNotMoveRunsToTheQueue() {
        var estimate = RunCostEstimate(inlineBudget: .microseconds(50))
        for _ in 0..<RunCostEstimate.warmUpRuns { estimate.record(.microseconds(10), elements: 1) }
        for _ in 1..<RunCostEstimate.window { estimate.record(.milliseconds(4), elements: 1) }
        #expect(estimate.placement(elements: 1) == .inline)
        #expect(estimate.nanosecondsPerElement == 10_000)
    }

    @Test func zeroBudget_neverRunsInline() {
        var estimate = RunCostEstimate(inlineBudget: .zero)
        for _ in 0..<10 { estimate.record(.nanoseconds(1), elements: 1) }
        #expect(estimate.placement(elements: 1) == .nativeQueue)
    }
}

/// The same placement on the real engine: runs on the calling thread give the same outputs as queued ones.
@Suite(.timeLimit(.minutes(2))) struct OnnxRunPlacementTests {
    let rows = Tensor(shape: [3, 2], floats: [5.1, 3.5, 6.7, 3.0, 4.9, 3.1])

    @Test func generousBudget_runsGoInlineAfterTheWarmUp_withTheSameOutputs() async throws {
        let engine = try await EngineFixtures.loaded(
            EngineFixtures.iris, name: "iris", parameters: ["inlineRunMicroseconds": "10000000"])
        let queued = try await engine.run(["float_input": rows])
        for _ in 1..<RunCostEstimate.warmUpRuns { _ = try await engine.run(["float_input": rows]) }
        #expect(engine.runCost?.inlineRuns == 0)
        let inline = try await engine.run(["float_input": rows])
        #expect(engine.runCost?.inlineRuns == 1)
        #expect(inline == queued)
        await engine.unload()
    }

    @Test func zeroBudget_keepsEveryRunOnTheNativeQueue() async throws {
        let engine = try await EngineFixtures.loaded(
            EngineFixtures.iris, name: "iris", parameters: ["inlineRunMicroseconds": "0"])
        for _ in 0..<10 { _ = try await engine.run(["float_input": rows]) }
        #expect(engine.runCost?.measuredRuns == 10)
        #expect(engine.runCost?.inlineRuns == 0)
        await engine.unload()
    }

    @Test(arguments: ["-1", "fast", "1.5"])
    func badInlineBudget_throwsInvalidParameter(value: String) async throws {
        let context = EngineFixtures.context(
            name: "iris", path: try EngineFixtures.path(EngineFixtures.iris),
            parameters: ["inlineRunMicroseconds": value])
        await #expect(throws: OnnxRuntimeError.invalidParameter(
            model: "iris", name: "inlineRunMicroseconds", value: value,
            allowed: "a whole number of microseconds from 0 (0 runs everything on the native queue)")
        ) { try await OnnxRuntimeEngine().load(context) }
    }
}
