import Dispatch
package import Foundation

/// Reads a child process's pipe to its end without holding a thread while it waits (a `DispatchIO` stream channel,
/// which waits on a read source and reads only when data is there).
///
/// A blocking `readDataToEndOfFile()` on a dispatch thread looks harmless, but on Linux Swift's tasks run on the same
/// dispatch worker threads (`com.apple.root.default-qos`): on a two-core machine two children that print slowly
/// held both of them, and every task of the process waited until dispatch noticed and started more threads. The
/// preflight child (``ModelPreflight``) and the examples' and tests' `ChildProcess` read their pipes here.
package enum PipeReading {
    /// Calls `chunk` with each piece `handle` delivers, then `end` once at end of file (or on a read error), all on
    /// one serial queue. `handle` (which owns the descriptor) is kept open until then.
    package static func read(
        _ handle: FileHandle, chunk: @escaping @Sendable (Data) -> Void, end: @escaping @Sendable () -> Void
    ) {
        let queue = DispatchQueue(label: "ModelRegistry.PipeReading")
        let channel = DispatchIO(type: .stream, fileDescriptor: handle.fileDescriptor, queue: queue) { _ in
            withExtendedLifetime(handle) {}  // the descriptor stays open until the channel is done with it
        }
        channel.setLimit(lowWater: 1)
        channel.read(offset: 0, length: Int.max, queue: queue) { done, data, _ in
            if let data, !data.isEmpty { chunk(Data(data)) }
            if done {
                channel.close()
                end()
            }
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
