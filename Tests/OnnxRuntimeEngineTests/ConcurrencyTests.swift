import Foundation
import OnnxRuntimeEngine
import Testing

/// Several runs on one session at once each get their own correct result; cancelling a run's task stops it.
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

    @Test func unload_whileRunsInFlight_letsThemFinish() async throws {
        let engine = try await EngineFixtures.loaded(EngineFixtures.mul, name: "mul")
        let x = Tensor(shape: [3, 2], floats: [1, 2, 3, 4, 5, 6])
        let outcomes = await withTaskGroup(of: Result<[String: OnnxValue], OnnxRuntimeError>.self) { group in
            for _ in 0..<8 {
                group.addTask { await outcome { () throws(OnnxRuntimeError) in try await engine.run(["X": x]) } }
            }
            group.addTask {
                await engine.unload()
                return .success([:])
            }
            return await group.reduce(into: []) { $0.append($1) }
        }
        for outcome in outcomes {
            switch outcome {
            case .success: break
            case .failure(let error): #expect(error == .notLoaded(model: "mul"))
            }
        }
        #expect(!engine.isLoaded)
    }
}
