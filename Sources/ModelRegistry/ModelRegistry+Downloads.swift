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

    /// How many callers (loads and ``download(_:)`` calls) wait for the model's running download; for tests and
    /// diagnostics.
    /// - Parameter name: The public name.
    package func downloadWaiters(of name: String) -> Int { entries[name]?.downloadCallers ?? 0 }

    /// Gets a remote model's file for load `id` and returns the configuration the engine loads: the same one with
    /// `path` set to the local file. Local models pass through unchanged.
    ///
    /// A file already on disk is used as it is, after its SHA-256 is checked when the model has one: the load
    /// publishes `loadStarted` at once and neither download events nor a `downloading` state. A missing file is
    /// downloaded (or the download already running for it is joined), then `loadStarted` is published.
    /// - Throws: ``RegistryError/downloadFailed(name:underlying:)``; ``RegistryError/checksumMismatch(name:path:expected:actual:)``
    ///   when the file on disk no longer matches (it is deleted: the next load downloads it); ``RegistryError/fileSystem(path:operation:reason:)``
    ///   when it cannot be read.
    func fetchModelFile(
        _ name: String, id: ModelID, configuration: ModelConfiguration
    ) async throws(RegistryError) -> ModelConfiguration {
        guard let request = entries[name]?.downloadTo else { return configuration }
        let file: URL
        if fileIsOnDisk(name, request) {
            if entries[name]?.lifecycle.isCurrentLoad(id) == true {
                publish(.loadStarted, for: name)
                if request.expectedSHA256 != nil { publish(.loadProgress(LoadProgress(phase: .verifying)), for: name) }
            }
            file = try await verifiedFile(name, request)
        } else {
            file = try await sharedDownload(name, request, load: id)
            if entries[name]?.lifecycle.downloadProgressed(nil, load: id) == true { publish(.loadStarted, for: name) }
        }
        var local = configuration
        local.path = file.path
        return local
    }

    /// Downloads a remote model's file, or joins the download already running for it (a load's or
    /// ``download(_:)``'s: the download manager runs one transfer per file). Whoever waits, each download publishes
    /// `downloadStarted`, its progress, and `downloaded` or `downloadFailed` once. While it runs the model is
    /// `downloading`: through load `id`'s lifecycle when a load waits, else through the entry.
    /// - Throws: ``RegistryError/downloadFailed(name:underlying:)``.
    func sharedDownload(_ name: String, _ request: DownloadRequest, load id: ModelID?) async throws(RegistryError) -> URL {
        let progress: DownloadProgress
        if let running = entries[name]?.downloadProgress {
            progress = running
        } else {
            progress = DownloadProgress(modelName: name, bytesReceived: 0, totalBytes: nil)
            entries[name]?.downloadProgress = progress
            publish(.downloadStarted(url: request.url), for: name)
        }
        if let id { _ = entries[name]?.lifecycle.downloadProgressed(progress, load: id) }
        entries[name]?.downloadCallers += 1
        let (reports, reporter) = AsyncStream.makeStream(of: DownloadProgress.self, bufferingPolicy: .bufferingNewest(1))
        let forwarder = Task { for await progress in reports { self.downloadProgressed(name, progress) } }
        let result: Result<URL, DownloadError>
        do {
            result = .success(try await downloads.download(request) { reporter.yield($0) })
        } catch {
            result = .failure(error)
        }
        reporter.finish()
        await forwarder.value
        entries[name]?.downloadCallers -= 1
        switch result {
        case .success(let file):
            if entries[name]?.downloadProgress != nil {  // the first caller back announces it
                entries[name]?.downloadProgress = nil
                setDownloaded(request.destination, true)
                publish(.downloaded(path: file.path), for: name)
            }
            return file
        case .failure(let error):
            let failure = RegistryError.downloadFailed(name: name, underlying: error)
            if entries[name]?.downloadCallers == 0, entries[name]?.downloadProgress != nil {
                entries[name]?.downloadProgress = nil
                publish(.downloadFailed(failure), for: name)
            }
            throw failure
        }
    }

    /// Whether a remote model's file is on disk: tracked without file I/O, and confirmed here with one `stat` so
    /// that a file deleted behind the registry's back is downloaded again.
    func fileIsOnDisk(_ name: String, _ request: DownloadRequest) -> Bool {
        guard entries[name]?.isDownloaded == true else { return false }
        if FileManager.default.fileExists(atPath: request.destination.path) { return true }
        setDownloaded(request.destination, false)
        return false
    }

    /// The file on disk once its SHA-256 matches the model's (when it has one), hashed on a thread of its own.
    /// A file that does not match is deleted, and every model using it becomes `notDownloaded`.
    /// - Throws: ``RegistryError/checksumMismatch(name:path:expected:actual:)``, or
    ///   ``RegistryError/fileSystem(path:operation:reason:)`` when the file cannot be read.
    func verifiedFile(_ name: String, _ request: DownloadRequest) async throws(RegistryError) -> URL {
        let file = request.destination
        guard let expected = request.expectedSHA256 else { return file }
        // Hashing a multi-gigabyte model takes seconds: not on a thread Swift's tasks share.
        let digest = await DedicatedThread.run("ModelRegistry.SHA256") {
            Result { () throws -> [UInt8] in try SHA256.hash(fileAt: file) }
        }
        switch digest {
        case .failure(let error):
            throw .fileSystem(path: file.path, operation: "read", reason: "\(error)")
        case .success(let bytes):
            let actual = SHA256.hex(bytes)
            guard actual == expected else {
                try? FileManager.default.removeItem(at: file)
                setDownloaded(file, false)
                throw .checksumMismatch(name: name, path: file.path, expected: expected, actual: actual)
            }
            return file
        }
    }

    /// Records whether `file` is on disk for every model that downloads to it (models with the same URL share it).
    /// - Returns: The names of the models whose record changed.
    @discardableResult
    func setDownloaded(_ file: URL, _ downloaded: Bool) -> [String] {
        let path = file.standardizedFileURL.path
        let sharing = entries.filter { $0.value.downloadTo?.destination.standardizedFileURL.path == path }.keys
        let changed = sharing.filter { entries[$0]?.isDownloaded != downloaded }.sorted()
        for name in sharing { entries[name]?.isDownloaded = downloaded }
        return changed
    }

    /// Records a download's progress and publishes it. Every caller of a shared download receives every report, so
    /// only reports newer than the last one published count.
    private func downloadProgressed(_ name: String, _ report: DownloadProgress) {
        guard let current = entries[name]?.downloadProgress else { return }
        let newer = (report.attempt, report.bytesReceived) > (current.attempt, current.bytesReceived)
            || (report.attempt == current.attempt && report.bytesReceived == current.bytesReceived
                && report.totalBytes != current.totalBytes)
        guard newer else { return }
        var progress = report
        progress.modelName = name  // a download shared by two models with one URL reports the first one's name
        entries[name]?.downloadProgress = progress
        publish(.downloadProgress(progress), for: name)
        if let attempt = entries[name]?.lifecycle.attempt, attempt.download != nil {
            _ = entries[name]?.lifecycle.downloadProgressed(progress, load: attempt.id)
            // A load waits for this download: its progress is the load's first phase.
            publish(.loadProgress(LoadProgress(
                phase: .downloading, fraction: progress.fraction, bytes: progress.bytesReceived,
                totalBytes: progress.totalBytes)), for: name)
        }
    }
}
