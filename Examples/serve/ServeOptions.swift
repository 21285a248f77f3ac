import ExampleSupport
import Foundation

/// The command line of `serve`.
struct ServeOptions: Sendable {
    var configFile: URL
    var catalogFile: URL?
    var host = "127.0.0.1"
    var port = 8080
    var maxBodyBytes = 8 << 20
    var maxHeaderBytes = 16 << 10
    var maxConnections = 64
    var idleTimeout = Duration.seconds(30)
    var drainTimeout = Duration.seconds(30)
    var exitWithParent = false

    static let usage = """
        usage: serve --config FILE [--catalog FILE] [--host ADDRESS] [--port N] [--max-body-bytes N]
                     [--max-header-bytes N] [--max-connections N] [--idle-timeout SECONDS] [--drain-timeout SECONDS]
                     [--exit-with-parent]
          --config FILE          the registry configuration (models, registry settings)
          --catalog FILE         a model catalog for the /api/v1/registry routes (created if missing)
          --host ADDRESS         the IPv4 address to listen on (default 127.0.0.1)
          --port N               the TCP port (default 8080; 0 picks a free one, printed at start)
          --max-body-bytes N     larger request bodies get 413 (default 8388608)
          --max-header-bytes N   larger request heads get 431 (default 16384)
          --max-connections N    further connections get 503 and are closed (default 64)
          --idle-timeout S       a keep-alive connection idle this long is closed; a request head must
                                 arrive within it too, and a body within it plus 1 s per 64 KiB (default 30)
          --drain-timeout S      on SIGINT/SIGTERM, wait this long for requests in flight (default 30)
          --exit-with-parent     drain and exit, as on SIGTERM, once the process that started serve has
                                 ended (for supervisors and tests; checked twice a second)
        """

    /// Reads the options from the command line.
    /// - Throws: `UsageError` for a missing or malformed option.
    init(_ arguments: inout Arguments) throws(UsageError) {
        guard let config = arguments.string("--config") else { throw UsageError("--config FILE is required") }
        configFile = URL(fileURLWithPath: config)
        catalogFile = arguments.string("--catalog").map { URL(fileURLWithPath: $0) }
        host = arguments.string("--host") ?? host
        port = try arguments.int("--port", in: 0...65535) ?? port
        maxBodyBytes = try arguments.int("--max-body-bytes", in: 0...(1 << 30)) ?? maxBodyBytes
        maxHeaderBytes = try arguments.int("--max-header-bytes", in: 256...(1 << 20)) ?? maxHeaderBytes
        maxConnections = try arguments.int("--max-connections", in: 1...10_000) ?? maxConnections
        idleTimeout = try arguments.int("--idle-timeout", in: 1...86_400).map { .seconds($0) } ?? idleTimeout
        drainTimeout = try arguments.int("--drain-timeout", in: 0...86_400).map { .seconds($0) } ?? drainTimeout
        exitWithParent = arguments.flag("--exit-with-parent")
        try arguments.finish()
    }
}
