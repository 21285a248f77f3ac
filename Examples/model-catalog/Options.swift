import ExampleSupport

/// Splits a command line into positional arguments and `--name value` options, and hands out each option
/// once so that unknown or repeated options can be reported.
struct Options {
    /// The arguments that are not options, in order.
    private(set) var positional: [String] = []
    /// Options with their values (flags have none), in order.
    private var options: [(name: String, value: String?)] = []

    /// Options that take no value.
    private static let flags: Set<String> = ["--json"]

    /// Splits the arguments.
    /// - Parameter arguments: The arguments after the program name.
    /// - Throws: ``UsageError`` when an option lacks its value.
    init(_ arguments: [String]) throws {
        var remaining = arguments[...]
        while let argument = remaining.popFirst() {
            guard argument.hasPrefix("--") else {
                positional.append(argument)
                continue
            }
            if Self.flags.contains(argument) {
                options.append((argument, nil))
            } else if let value = remaining.popFirst() {
                options.append((argument, value))
            } else {
                throw UsageError("option \(argument) needs a value")
            }
        }
    }

    /// Takes a flag.
    /// - Returns: Whether it was given.
    mutating func flag(_ name: String) -> Bool {
        let given = options.contains { $0.name == name }
        options.removeAll { $0.name == name }
        return given
    }

    /// Takes every value of a repeatable option.
    mutating func values(_ name: String) throws -> [String] {
        let values = options.filter { $0.name == name }.compactMap(\.value)
        options.removeAll { $0.name == name }
        return values
    }

    /// Takes the value of an option given at most once.
    /// - Throws: ``UsageError`` when it is given more than once.
    mutating func value(_ name: String) throws -> String? {
        let values = try values(name)
        guard values.count <= 1 else { throw UsageError("option \(name) is given \(values.count) times") }
        return values.first
    }

    /// Checks that every option was taken.
    /// - Throws: ``UsageError`` naming the first option no command uses.
    func finish() throws {
        if let unknown = options.first { throw UsageError("unknown option \(unknown.name) for this command") }
    }
}
