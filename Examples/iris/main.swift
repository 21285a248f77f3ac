// iris: classify iris flowers with an ONNX model served by a ModelRegistry.
//
//   swift run iris 5.1,3.5 6.7,3.0              # writes a config for logreg_iris.onnx, classifies two rows
//   swift run iris --config models.json 5.1,3.5 # reads the config (its default model is classified)
//   swift run iris --model /path/logreg_iris.onnx
//
// logreg_iris.onnx is a small test model from ONNX Runtime (a linear classifier behind a ZipMap); it shows the
// mechanics, not a good botanist: do not read much into its labels.
//
// Exit status: 0 on success, 1 when the model cannot be loaded or run, 2 for a malformed command line.

import ExampleSupport
import Foundation

let usage = """
    usage: iris [--config FILE | --model PATH] [ROW ...]
      ROW            a flower's measurements, comma-separated: sepal length,sepal width (e.g. 5.1,3.5)
      --config FILE  read this registry configuration instead of writing one
      --model PATH   the ONNX model (default: <package>/.native/share/models/logreg_iris.onnx)
    """

let program = CommandLineProgram(name: "iris", usage: usage)
do {
    var arguments = try program.arguments()
    let config = arguments.string("--config").map { URL(fileURLWithPath: $0) }
    let model = arguments.string("--model").map { URL(fileURLWithPath: $0) }
    try arguments.finish()
    if config != nil, model != nil {
        throw UsageError("give --config or --model, not both: the config names the model")
    }
    let rows = try arguments.positional.map { text throws(UsageError) in try IrisRow(parsing: text) }
    let demo = IrisDemo(
        configFile: config, modelFile: model ?? FixturePath.model("logreg_iris.onnx"),
        rows: rows.isEmpty ? IrisRow.defaults : rows)
    try await demo.run()
} catch {
    program.exit(dueTo: error)
}
