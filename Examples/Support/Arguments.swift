/// A malformed command line: the program prints it with its usage and exits with status 2.
package struct UsageError: Error, CustomStringConvertible {
    /// What is wrong with the command line.
    package let description: String

    /// Creates the error.
    /// - Parameter description: What is wrong.
    package init(_ description: String) { self.description = description }
}

/// The command line, split into positional arguments, `--name value` (or `--name=value`) options and flags.
/// Each option is taken once, so that ``finish()`` can report the ones nobody asked for.
package struct Arguments {
    /// The arguments that are not options, in order.
    package let positional: [String]
    private var options: [String: String] = [:]
    private var flags: Set<String> = []

    /// Splits the arguments.
    /// - Parameters:
    ///   - arguments: The arguments after the program name.
    ///   - knownFlags: The options that take no value, e.g. `["--help"]`.
    /// - Throws: ``UsageError`` when an option lacks its value or is given twice.
    package init(_ arguments: some Sequence<String>, knownFlags: Set<String>) throws(UsageError) {
        var positional: [String] = []
        var remaining = Array(arguments)[...]
        while let argument = remaining.popFirst() {
            guard argument.hasPrefix("--"), argument.count > 2 else {
                positional.append(argument)
                continue
            }
            if knownFlags.contains(argument) {
                flags.insert(argument)
                continue
            }
            let name: String
            let value: String
            if let equals = argument.firstIndex(of: "=") {
                name = String(argument[..<equals])
                value = String(argument[argument.index(after: equals)...])
            } else if let next = remaining.popFirst() {
                name = argument
                value = next
            } else {
                throw UsageError("option \(argument) needs a value")
            }
            guard options.updateValue(value, forKey: name) == nil else {
                throw UsageError("option \(name) is given twice")
            }
        }
        self.positional = positional
    }

    /// Takes a flag.
    /// - Returns: Whether it was given.
    package mutating func flag(_ name: String) -> Bool { flags.remove(name) != nil }

    /// Takes an option's text.
    /// - Returns: The value, or `nil` when the option is absent.
    package mutating func string(_ name: String) -> String? { options.removeValue(forKey: name) }

    /// Takes an option that must be a whole number in `range`.
    /// - Throws: ``UsageError`` naming the option and the range when the value is not one.
    package mutating func int(_ name: String, in range: ClosedRange<Int>) throws(UsageError) -> Int? {
        guard let text = string(name) else { return nil }
        guard let value = Int(text), range.contains(value) else {
            throw UsageError(
                "option \(name) must be a whole number in \(range.lowerBound)...\(range.upperBound), not \"\(text)\"")
        }
        return value
    }

    /// Takes an option that must be a finite number in `range`.
    /// - Throws: ``UsageError`` naming the option and the range when the value is not one.
    package mutating func float(_ name: String, in range: ClosedRange<Float>) throws(UsageError) -> Float? {
        guard let text = string(name) else { return nil }
        guard let value = Float(text), value.isFinite, range.contains(value) else {
            throw UsageError(
                "option \(name) must be a number in \(range.lowerBound)...\(range.upperBound), not \"\(text)\"")
        }
        return value
    }

    /// Checks that every option and flag was taken.
    /// - Throws: ``UsageError`` naming the first unknown one.
    package func finish() throws(UsageError) {
        if let unknown = (Array(options.keys) + Array(flags)).sorted().first {
            throw UsageError("unknown option \(unknown)")
        }
    }
}
