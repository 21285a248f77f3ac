// model-catalog: inspect and change a model catalog file from the shell.
//
//   model-catalog catalog.json register iris 1.0.0 models/logreg_iris.onnx --type classifier --tag demo
//   model-catalog catalog.json promote iris 1.0.0
//   model-catalog catalog.json production iris --json
//   model-catalog catalog.json scan models/
//
// Exit status: 0 on success, 1 when the catalog refuses or fails, 2 for a malformed command line.

import ExampleSupport
import Foundation
import ModelRegistry

let program = CommandLineProgram(name: "model-catalog", usage: CatalogCommand.usage)
do {
    let command = try CatalogCommand(arguments: Array(CommandLine.arguments.dropFirst()))
    try command.run()
} catch {
    program.exit(dueTo: error)
}
