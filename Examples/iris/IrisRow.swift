import ExampleSupport
import Foundation

/// One flower to classify: its measurements, as given on the command line (`5.1,3.5`).
struct IrisRow: Sendable, CustomStringConvertible {
    /// The feature values, in command-line order.
    let features: [Float]

    /// Reads a row from comma-separated numbers.
    /// - Parameter text: E.g. `"5.1,3.5"`.
    /// - Throws: ``UsageError`` naming the row when a value is not a finite number.
    init(parsing text: String) throws(UsageError) {
        let parts = text.split(separator: ",", omittingEmptySubsequences: false)
        var features: [Float] = []
        for part in parts {
            guard let value = Float(part.trimmingCharacters(in: .whitespaces)), value.isFinite else {
                throw UsageError("row \"\(text)\" is not comma-separated numbers, e.g. 5.1,3.5")
            }
            features.append(value)
        }
        self.features = features
    }

    init(_ features: [Float]) { self.features = features }

    /// A few flowers from the iris data set, used when the command line gives none.
    static let defaults = [IrisRow([5.1, 3.5]), IrisRow([6.4, 3.2]), IrisRow([6.3, 3.3]), IrisRow([4.9, 3.0])]

    var description: String { features.map { "\($0)" }.joined(separator: ",") }
}

/// What the model says about one row.
struct IrisPrediction: Sendable {
    /// The row classified.
    let row: IrisRow
    /// The predicted class.
    let label: Int64
    /// The probability of each class.
    let probabilities: [Int64: Float]

    /// One line: features, label and every class's probability.
    var line: String {
        let spread = probabilities.keys.sorted()
            .map { "\($0): \(String(format: "%.3f", probabilities[$0] ?? 0))" }.joined(separator: ", ")
        return "\(row.description.padding(toLength: 12, withPad: " ", startingAt: 0)) → label \(label)"
            + "  probabilities [\(spread)]"
    }
}
