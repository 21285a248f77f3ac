// generate: stream a completion from a GGUF model served by a ModelRegistry; Ctrl-C cancels cleanly.
//
//   swift run generate --max-tokens 16
//   swift run generate --model bench.gguf --prompt "hello world" --temperature 0.8 --seed 7 --threads 2
//
// Exit status: 0 on success or after Ctrl-C, 1 when the model cannot be loaded or run, 2 for a malformed command
// line.

import ExampleSupport
import Foundation

let program = CommandLineProgram(name: "generate", usage: GenerateOptions.usage)

let interrupt = await InterruptSignal.install()  // before anything else, so an early Ctrl-C is not lost
do {
    guard let options = try GenerateOptions(arguments: Array(CommandLine.arguments.dropFirst())) else {
        print(GenerateOptions.usage)
        exit(0)
    }
    try await GenerateRun(options: options, interrupt: interrupt).run()
} catch {
    program.exit(dueTo: error)
}
