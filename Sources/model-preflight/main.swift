import Foundation

// The preflight child of the engines (see PreflightChild): loads a model file (and decodes one token) in this process,
// so a file on which libllama or ONNX Runtime aborts kills this process and not the host that asked.
exit(await PreflightChild.run(arguments: Array(CommandLine.arguments.dropFirst())))
