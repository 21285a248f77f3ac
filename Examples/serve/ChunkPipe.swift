import Foundation

/// Hands a streamed body's chunks from the task reading the async stream to the connection's thread, which writes
/// them with blocking calls. `NSCondition` is pthread-based, so the thread sanitizer sees it.
final class ChunkPipe: @unchecked Sendable {
    // @unchecked: `items` and `ended` are only touched while `condition` is locked.
    enum Item {
        case chunk(Data)
        case end
        case failed(any Error)
    }

    private let condition = NSCondition()
    private var items: [Item] = []

    /// Adds an item and wakes the reader.
    func push(_ item: Item) {
        condition.lock()
        items.append(item)
        condition.signal()
        condition.unlock()
    }

    /// The next item, blocking until there is one.
    func next() -> Item {
        condition.lock()
        defer { condition.unlock() }
        while items.isEmpty { condition.wait() }
        return items.removeFirst()
    }
}

/// Runs async work from a plain thread and blocks that thread until it is done.
enum Blocking {
    /// The result of `work`. With `descriptor`, the connection is watched while `work` runs (every 50 ms): once
    /// its client has closed it, `work` is cancelled (a generation nobody will read stops and frees its sequence),
    /// and its result, a cancelled one, is still returned.
    static func run<Value: Sendable>(
        watching descriptor: Int32? = nil, _ work: @escaping @Sendable () async -> Value
    ) -> Value {
        let pipe = ResultBox<Value>()
        let task = Task { pipe.set(await work()) }
        guard let descriptor else { return pipe.wait() }
        while true {
            if let value = pipe.wait(upTo: .milliseconds(50)) { return value }
            if Socket.peerHasClosed(descriptor) {
                task.cancel()
                return pipe.wait()
            }
        }
    }

    private final class ResultBox<Value: Sendable>: @unchecked Sendable {
        // @unchecked: `value` is only touched while `condition` is locked.
        private let condition = NSCondition()
        private var value: Value?

        func set(_ newValue: Value) {
            condition.lock()
            value = newValue
            condition.signal()
            condition.unlock()
        }

        func wait() -> Value {
            condition.lock()
            defer { condition.unlock() }
            while value == nil { condition.wait() }
            return value!
        }

        /// The value, or `nil` when it has not come within `timeout`.
        func wait(upTo timeout: Duration) -> Value? {
            let deadline = Date(timeIntervalSinceNow: Double(timeout.components.seconds)
                + Double(timeout.components.attoseconds) / 1e18)
            condition.lock()
            defer { condition.unlock() }
            while value == nil, condition.wait(until: deadline) {}
            return value
        }
    }
}
