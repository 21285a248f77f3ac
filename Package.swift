// swift-tools-version:6.0
import PackageDescription

/// Strictness shared by every Swift target.
let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

let package = Package(
    name: "ModelRegistry",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "ModelRegistry", targets: ["ModelRegistry"]),
    ],
    targets: [
        .target(name: "ModelRegistry", swiftSettings: swiftSettings),
        .testTarget(
            name: "ModelRegistryTests",
            dependencies: ["ModelRegistry"],
            swiftSettings: swiftSettings
        ),
    ],
    swiftLanguageModes: [.v6]
)
