package import Foundation

/// Reads a child process's pipe to its end on a thread of its own (``DedicatedThread``), so that waiting for a slow
/// child never holds one of the threads Swift's tasks run on.
///
/// A blocking `readDataToEndOfFile()` on `DispatchQueue.global()` looks harmless, but on Linux Swift's tasks run on
/// the same dispatch worker threads (`com.apple.root.default-qos`): on a two-core machine two children that print
/// slowly held both of them, and every task of the process waited until dispatch noticed and started more threads.
/// Nor is a dispatch read source the answer there (`DispatchIO`, `FileHandle.readabilityHandler`): on Linux tearing
/// one down on a pipe races the descriptor's close and can crash libdispatch's event loop
/// (`_dispatch_event_loop_drain`, swift-corelibs-foundation issue #3276), which the thread-sanitizer pass hit. A
/// plain blocking read on a dedicated thread has neither problem. ``ChildProcess`` reads its pipes here.
package enum PipeReading {
    /// Calls `chunk` with each piece `handle` delivers, then `end` once at end of file, all on one new thread.
    /// `handle` (which owns the descriptor) is kept open until then.
    package static func read(
        _ handle: FileHandle, chunk: @escaping @Sendable (Data) -> Void, end: @escaping @Sendable () -> Void
    ) {
        DedicatedThread.start("ModelRegistry.PipeReading") {
            while case let data = handle.availableData, !data.isEmpty { chunk(data) }
            end()
        }
    }

    /// Everything `handle` delivers until end of file, passed to `deliver` once.
    package static func readToEnd(_ handle: FileHandle, then deliver: @escaping @Sendable (Data) -> Void) {
        let collected = Locked(Data())
        read(handle, chunk: { data in collected.withLock { $0.append(data) } }, end: { deliver(collected.withLock { $0 }) })
    }

    /// Everything `handle` delivers until end of file.
    package static func readToEnd(_ handle: FileHandle) async -> Data {
        await withCheckedContinuation { continuation in
            readToEnd(handle) { continuation.resume(returning: $0) }
        }
    }

    /// The pieces `handle` delivers, until end of file.
    package static func chunks(of handle: FileHandle) -> AsyncStream<Data> {
        AsyncStream { continuation in
            read(handle, chunk: { continuation.yield($0) }, end: { continuation.finish() })
        }
    }
}
