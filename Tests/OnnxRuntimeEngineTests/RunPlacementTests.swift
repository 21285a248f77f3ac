import Foundation
@testable import OnnxRuntimeEngine
import ModelRegistry
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

    @Test func inlineRuns_yieldFirst_eachTimeTheirExpectedTimeReachesTheInterval() {
        var estimate = RunCostEstimate(inlineBudget: .microseconds(50))
        for _ in 0..<RunCostEstimate.warmUpRuns { estimate.record(.microseconds(10), elements: 1) }
        // 10 µs expected per run: every 100th inline run brings the total since the last yield to 1 ms.
        let placements = (0..<250).map { _ in estimate.placement(elements: 1) }
        #expect(placements.indices.filter { placements[$0] == .inlineAfterYield } == [99, 199])
        #expect(placements.allSatisfy { $0 != .nativeQueue })
        #expect(estimate.inlineRuns == 250)
    }

    @Test func inlineRuns_areTimedOneInEachInterval_queuedRunsEveryTime() {
        var estimate = RunCostEstimate(inlineBudget: .microseconds(50))
        func placeAndTime(elements: Int) -> Bool {
            let placement = estimate.placement(elements: elements)
            return estimate.times(placement)
        }
        #expect(placeAndTime(elements: 1))  // warm-up: on the queue, timed
        for _ in 0..<RunCostEstimate.warmUpRuns { estimate.record(.microseconds(10), elements: 1) }
        let timed = (0..<24).map { _ in placeAndTime(elements: 1) }
        let interval = RunCostEstimate.inlineTimingInterval
        #expect(timed.indices.filter { timed[$0] } == [0, interval, 2 * interval])
        #expect(placeAndTime(elements: 100))  // 1 ms expected: on the queue, timed
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

    /// As many tasks as Swift's pool has threads run the model inline in a loop that never awaits anything else.
    /// The test's own task still gets a thread while they loop, and stops them: inline runs yield now and then.
    /// Without that, the test would resume only once every loop had run to its bound.
    @Test func loopsOfInlineRuns_leaveThreadsToOtherTasks() async throws {
        let engine = try await EngineFixtures.loaded(
            EngineFixtures.iris, name: "iris", parameters: ["inlineRunMicroseconds": "10000000"])
        let inputs = ["float_input": rows]
        for _ in 0..<RunCostEstimate.warmUpRuns { _ = try await engine.run(inputs) }
        let runsPerLoop = 200_000  // seconds of looping: far more than the loops need to run before they yield
        let stop = Locked(false)
        let (looping, loopIsRunning) = AsyncStream.makeStream(of: Void.self)
        let loops = (0..<ProcessInfo.processInfo.activeProcessorCount).map { _ in
            Task { () throws -> Int in
                var runs = 0
                while runs < runsPerLoop, !stop.withLock({ $0 }) {
                    _ = try await engine.run(inputs)
                    runs += 1
                    if runs == 100 { loopIsRunning.yield() }
                }
                return runs
            }
        }
        var running = 0
        for await _ in looping {
            running += 1
            if running == loops.count { break }
        }
        stop.withLock { $0 = true }
        for loop in loops {
            let runs = try await loop.value
            #expect(runs < runsPerLoop, "a loop ran to its bound before the test's task got a thread")
        }
        #expect((engine.runCost?.inlineRuns ?? 0) > 100 * loops.count)
        await engine.unload()
    }

    @Test func withoutTheParameter_runsOfUpToOneMillisecondGoInline() async throws {
        let engine = try await EngineFixtures.loaded(EngineFixtures.iris, name: "iris")
        #expect(engine.runCost?.inlineBudget == .milliseconds(1))
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
