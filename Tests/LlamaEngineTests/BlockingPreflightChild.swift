import Foundation
import ModelRegistry

/// A stand-in for the `model-preflight` program (passed as `preflightExecutable`) that never finishes by itself: it
/// tells the test its process id through a FIFO, then sleeps for an hour ignoring SIGTERM, SIGINT and SIGHUP, so
/// only SIGKILL ends it early. A test that cancels a load while this child runs always finds it running.
struct BlockingPreflightChild {
    /// The program to pass as `preflightExecutable`.
    let program: URL
    /// Where the child writes its process id once it runs.
    private let fifo: URL

    /// The child ended the wait before it said it had started.
    struct NotStarted: Error, CustomStringConvertible {
        var description: String { "the load ended before the preflight child started" }
    }

    /// Writes the program and its FIFO into `folder`.
    /// - Throws: When the FIFO or the program cannot be made.
    init(in folder: URL) throws {
        fifo = folder.appendingPathComponent("started.fifo")
        program = folder.appendingPathComponent("blocking-preflight")
        guard mkfifo(fifo.path, 0o600) == 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
        let script = """
            #!/bin/sh
            trap '' TERM INT HUP
            echo $$ > '\(fifo.path)'
            exec sleep 3600
            """
        try script.write(to: program, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: program.path)
    }

    /// Waits until the child runs.
    /// - Returns: The child's process id.
    /// - Throws: ``NotStarted`` when ``abandon()`` (or the task's cancellation) came first.
    func started() async throws -> pid_t {
        let fifo = fifo
        let text = await withTaskCancellationHandler {
            await DedicatedThread.run("BlockingPreflightChild.started") {
                // blocks until the child (or abandon) opens the FIFO for writing
                let descriptor = open(fifo.path, O_RDONLY)
                guard descriptor >= 0 else { return "" }
                let data = FileHandle(fileDescriptor: descriptor, closeOnDealloc: true).readDataToEndOfFile()
                return String(decoding: data, as: UTF8.self)
            }
        } onCancel: {
            abandon()
        }
        guard let pid = pid_t(text.trimmingCharacters(in: .whitespacesAndNewlines)) else { throw NotStarted() }
        return pid
    }

    /// Ends a wait in ``started()`` that is under way, for a load that failed before its child ran.
    func abandon() {
        let descriptor = open(fifo.path, O_WRONLY | O_NONBLOCK)  // fails (ENXIO) when nobody waits
        if descriptor >= 0 { close(descriptor) }
    }
}
