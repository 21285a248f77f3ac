import Foundation
import LlamaEngine

// The preflight child of LlamaEngine (see LlamaPreflightChild): loads a model file and decodes one token in this
// process, so a file on which libllama aborts kills this process and not the host that asked.
exit(await LlamaPreflightChild.run(arguments: Array(CommandLine.arguments.dropFirst())))
