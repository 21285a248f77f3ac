// registry-tour: a model catalog, a production version, workers, a burst of requests drained by an unload,
// the OpenAI-style model list and the registry's statistics, then a new version promoted and swapped in while
// requests run, on the iris ONNX model.
//
//   swift run registry-tour
//   swift run registry-tour --requests 100 --late 10 --model /path/logreg_iris.onnx
//
// Exit status: 0 on success, 1 when something fails, 2 for a malformed command line.

import ExampleSupport
import Foundation

let usage = """
    usage: registry-tour [--model PATH] [--requests N] [--late N]
      --model PATH    the iris ONNX model (default: <package>/.native/share/models/logreg_iris.onnx)
      --requests N    concurrent requests in the burst (default: 40)
      --late N        requests submitted while the model unloads; they fail (default: 5)
    """

let program = CommandLineProgram(name: "registry-tour", usage: usage)
do {
    var arguments = try program.arguments()
    let model = arguments.string("--model").map { URL(fileURLWithPath: $0) } ?? FixturePath.model("logreg_iris.onnx")
    let requests = try arguments.int("--requests", in: 1...100_000) ?? 40
    let late = try arguments.int("--late", in: 0...100_000) ?? 5
    try arguments.finish()
    if let extra = arguments.positional.first { throw UsageError("unexpected argument \"\(extra)\"") }
    try await RegistryTour(model: model, requests: requests, late: late).run()
} catch {
    program.exit(dueTo: error)
}
