import Foundation

/// What every example's `main.swift` does with its command line and its errors.
package struct CommandLineProgram: Sendable {
    /// The program's name, e.g. `"iris"`, put in front of error messages.
    package let name: String
    /// The usage text printed for `--help` and after a usage error.
    package let usage: String

    /// Creates the program description.
    /// - Parameters:
    ///   - name: The program's name.
    ///   - usage: Its usage text.
    package init(name: String, usage: String) {
        self.name = name
        self.usage = usage
    }

    /// Splits the command line; prints the usage and exits 0 for `--help`.
    /// - Parameter knownFlags: The options besides `--help` that take no value.
    /// - Returns: The arguments, with `--help` taken.
    /// - Throws: ``UsageError`` when an option lacks its value or is given twice.
    package func arguments(knownFlags: Set<String> = []) throws(UsageError) -> Arguments {
        var arguments = try Arguments(CommandLine.arguments.dropFirst(), knownFlags: knownFlags.union(["--help"]))
        if arguments.flag("--help") {
            print(usage)
            Foundation.exit(0)
        }
        return arguments
    }

    /// Reports an error and exits: status 2 with the usage for a ``UsageError``, status 1 otherwise.
    /// - Parameter error: What went wrong.
    package func exit(dueTo error: any Error) -> Never {
        if let usageError = error as? UsageError {
            printError(usageError.description)
            printError(usage)
            Foundation.exit(2)
        }
        printError("\(error)")
        Foundation.exit(1)
    }

    /// Writes `name: message` to standard error.
    /// - Parameter message: What went wrong.
    package func printError(_ message: String) {
        FileHandle.standardError.write(Data("\(name): \(message)\n".utf8))
    }
}
