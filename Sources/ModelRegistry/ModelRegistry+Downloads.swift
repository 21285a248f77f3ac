import Foundation

extension ModelRegistry {
    /// The download a remote model's load starts with, or `nil` for a model whose `path` is local.
    static func downloadDestination(of configuration: ModelConfiguration, _ options: RegistryOptions) -> DownloadRequest? {
        DownloadRequest.remoteURL(in: configuration.path).map { url in
            DownloadRequest(
                modelName: configuration.name, url: url, directory: options.modelsDirectory,
                expectedSHA256: configuration.sha256)
        }
    }

    /// Whether the model's load must download its file first.
    func needsDownload(_ name: String) -> Bool {
        guard let request = entries[name]?.downloadTo else { return false }
        return !FileManager.default.fileExists(atPath: request.destination.path) || request.expectedSHA256 != nil
    }

    /// Downloads a remote model's file (publishing progress) and returns the configuration the engine loads: the
    /// same one with `path` set to the local file. Local models pass through unchanged.
    /// - Throws: ``RegistryError/downloadFailed(name:underlying:)``.
    func fetchModelFile(
        _ name: String, id: ModelID, configuration: ModelConfiguration
    ) async throws(RegistryError) -> ModelConfiguration {
        guard let request = entries[name]?.downloadTo else { return configuration }
        let downloading = needsDownload(name)
        if downloading { setDownloadProgress(name, id: id, DownloadProgress(modelName: name, bytesReceived: 0, totalBytes: nil)) }
        let (reports, reporter) = AsyncStream.makeStream(of: DownloadProgress.self, bufferingPolicy: .bufferingNewest(1))
        let forwarder = Task { for await progress in reports { self.setDownloadProgress(name, id: id, progress) } }
        let result: Result<URL, DownloadError>
        do {
            result = .success(try await downloads.download(request) { reporter.yield($0) })
        } catch {
            result = .failure(error)
        }
        reporter.finish()
        await forwarder.value
        switch result {
        case .failure(let error):
            throw .downloadFailed(name: name, underlying: error)
        case .success(let file):
            entries[name]?.isDownloaded = true
            if downloading, entries[name]?.lifecycle.downloadProgressed(nil, load: id) == true {
                publish(.downloaded(path: file.path), for: name)
                publish(.loadStarted, for: name)
            }
            var local = configuration
            local.path = file.path
            return local
        }
    }

    /// Records a download's progress on its load attempt and publishes it.
    private func setDownloadProgress(_ name: String, id: ModelID, _ progress: DownloadProgress) {
        guard let attempt = entries[name]?.lifecycle.attempt, attempt.id == id else { return }
        let starting = attempt.download == nil && progress.bytesReceived == 0 && progress.totalBytes == nil
        _ = entries[name]?.lifecycle.downloadProgressed(progress, load: id)
        if starting, let url = entries[name]?.downloadTo?.url {
            publish(.downloadStarted(url: url), for: name)
        } else {
            publish(.downloadProgress(progress), for: name)
        }
        publish(.loadProgress(LoadProgress(
            phase: .downloading, fraction: progress.fraction, bytes: progress.bytesReceived, totalBytes: progress.totalBytes)),
            for: name)
    }
}
