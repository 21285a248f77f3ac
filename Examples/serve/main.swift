// serve: the registry's HTTP router on a TCP port, over a small HTTP/1.1 adapter written for this example.
//
//   swift run serve --config models.json --port 8080
//   curl localhost:8080/v1/models
//
// Production apps mount `RegistryRouter` in their own server framework (Hummingbird, Vapor, …); this adapter
// exists to show the router end to end and to let the tests drive it with real clients. It handles keep-alive,
// Content-Length bodies, chunked responses for streams, header and body size limits, an idle timeout and a bound
// on connections, one thread per connection. On SIGINT/SIGTERM it stops accepting, lets requests in flight finish
// (up to --drain-timeout), unloads the models and exits 0; with --exit-with-parent it does the same once the process
// that started it has ended.
//
// Exit status: 0 after a drain, 1 when the configuration or the port cannot be used, 2 for a malformed command line.

import ExampleSupport
import Foundation
import ModelRegistry
import ModelRegistryEngines
import ModelRegistryHTTP

/// Writes a line to standard output unbuffered: the tests read the "listening" line through a pipe.
func say(_ line: String) { FileHandle.standardOutput.write(Data((line + "\n").utf8)) }

let program = CommandLineProgram(name: "serve", usage: ServeOptions.usage)
do {
    var arguments = try program.arguments(knownFlags: ["--exit-with-parent"])
    let options = try ServeOptions(&arguments)
    let signals = TerminationSignals()
    if options.exitWithParent { signals.watchParent() }
    let configuration = try RegistryConfiguration.load(contentsOf: options.configFile)
    let registry = try ModelRegistry(factory: .builtIn, configuration: configuration)
    let catalog = try options.catalogFile.map { file throws(RegistryError) in try ModelCatalog(fileURL: file) }
    let router = RegistryRouter(
        registry: registry, catalog: catalog, options: RegistryRouter.Options(maxBodyBytes: options.maxBodyBytes))
    let server = try HTTPServer(router: router, options: options)
    server.start()
    say("serve: listening on http://\(options.host):\(server.port)")
    let preload = Task {
        do { try await registry.loadPreloaded() } catch { program.printError("preload: \(error)") }
    }
    let reason = await signals.wait()
    say("serve: \(reason), draining")
    preload.cancel()
    let left = await server.drain(timeout: options.drainTimeout)
    if left > 0 { program.printError("\(left) connection(s) still open after the drain timeout") }
    await registry.shutdown()
    say("serve: stopped")
} catch {
    program.exit(dueTo: error)
}
