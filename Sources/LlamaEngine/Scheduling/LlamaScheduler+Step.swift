import Dispatch

// MARK: - One step of the scheduling loop

extension LlamaScheduler {
    /// One step, on the engine's queue: admit waiting requests, drop cancelled ones, decode one batch for all
    /// sequences, sample and emit; then enqueue the next step unless there is nothing left to do.
    func step() {
        var finished = 0
        let free = slots.indices.filter { slots[$0].request == nil }
        let (admitted, dropped, closed) = admit(freeSlots: free.count)
        for request in dropped { request.continuation.finish() }
        if !closed {
            assign(admitted, to: free)
            finished += dropCancelled()
            finished += decodeAndSample()
        }
        if endStep(finished: finished) { queue.async { self.step() } }
    }

    /// Gives each admitted request (in FIFO order) the free slot whose cache shares the longest prefix with its
    /// prompt (the least recently used one among equals), keeps that prefix in the KV cache and removes the rest
    /// (or, when the memory is recurrent and cannot remove only the rest, the whole sequence).
    private func assign(_ requests: [GenerationRequest], to freeSlots: [Int]) {
        var free = freeSlots
        let now = ContinuousClock.now
        for request in requests {
            guard let best = free.indices.max(by: { a, b in
                let (x, y) = (slots[free[a]], slots[free[b]])
                let (px, py) = (x.commonPrefix(with: request.prompt), y.commonPrefix(with: request.prompt))
                return px != py ? px < py : x.lastUsed > y.lastUsed
            }) else { break }
            let index = free.remove(at: best)
            // The last prompt token is decoded again even when cached: its logits give the first sample.
            var reused = min(slots[index].commonPrefix(with: request.prompt), request.prompt.count - 1)
            if !context.removeTokens(of: slots[index].id, from: reused) {
                // Recurrent memory cannot drop only the end of a sequence: start it over (as llama-server does).
                context.removeSequence(slots[index].id)
                reused = 0
            }
            slots[index].cached.removeLast(slots[index].cached.count - reused)
            slots[index].request = request
            request.cachedTokens = reused
            request.promptDecoded = reused
            request.admitted = now
            request.sampler.acceptPrompt(request.prompt)
        }
    }

    /// Frees the slots of requests whose consumer went away.
    /// - Returns: How many were freed.
    private func dropCancelled() -> Int {
        var count = 0
        for index in slots.indices {
            guard let request = slots[index].request, request.cancelled.isSet else { continue }
            release(slotAt: index, keepingCache: false)
            request.continuation.finish()
            count += 1
        }
        return count
    }

    /// Fills the batch (next tokens first, then prompt chunks), decodes it once, samples every sequence that has
    /// an output in it.
    /// - Returns: How many requests ended.
    private func decodeAndSample() -> Int {
        batch.clear()
        var outputs: [(slot: Int, index: Int32)] = []
        var members: [Int] = []
        for index in slots.indices {
            guard let request = slots[index].request, let token = request.pending else { continue }
            let output = batch.add(token, position: slots[index].cached.count, sequence: slots[index].id, wantsOutput: true)
            outputs.append((index, output))
            members.append(index)
        }
        // Prompt chunks share what is left of the batch; while others generate they get at most a quarter of it,
        // so a long prompt delays the running generations by a bounded amount per step.
        var budget = batch.capacity - batch.count
        if !members.isEmpty { budget = min(budget, max(16, batch.capacity / 4)) }
        var chunks: [(slot: Int, count: Int)] = []
        for index in slots.indices where budget > 0 {
            guard let request = slots[index].request, request.pending == nil else { continue }
            let count = min(budget, request.promptRemaining)
            for offset in 0..<count {
                let position = request.promptDecoded + offset
                let last = position == request.prompt.count - 1
                let output = batch.add(
                    request.prompt[position], position: position, sequence: slots[index].id, wantsOutput: last)
                if last { outputs.append((index, output)) }
            }
            chunks.append((index, count))
            members.append(index)
            budget -= count
        }
        guard batch.count > 0 else { return 0 }

        let flags = members.compactMap { slots[$0].request?.cancelled }
        let closing = self.closing
        LlamaLog.beginCapture()
        let status = context.decode(batch) { closing.isSet || flags.allSatisfy(\.isSet) }
        let captured = LlamaLog.takeCaptured()
        guard status == 0 else {
            // Aborted (closing, or every consumer of the batch left) or failed: these sequences' caches are unknown.
            var ended = 0
            for index in Set(members) {
                guard let request = slots[index].request else { continue }
                release(slotAt: index, keepingCache: false)
                ended += 1
                if status == LlamaContext.abortedStatus {
                    closing.isSet ? request.finish(.cancelled, now: .now) : request.continuation.finish()
                } else {
                    request.fail(LlamaError.decodeFailed(
                        model: info.name, status: status, reason: captured ?? LlamaError.decodeStatusMeaning(status)))
                }
            }
            return ended
        }
        for index in slots.indices {
            guard let request = slots[index].request, let token = request.pending else { continue }
            slots[index].cached.append(token)
        }
        for (index, count) in chunks {
            guard let request = slots[index].request else { continue }
            slots[index].cached += request.prompt[request.promptDecoded..<(request.promptDecoded + count)]
            request.promptDecoded += count
        }
        var ended = 0
        for (index, output) in outputs where sample(slotAt: index, output: output) { ended += 1 }
        return ended
    }

    /// Samples the next token of one sequence and emits it, or ends the request.
    /// - Returns: Whether the request ended (its slot is then free).
    private func sample(slotAt index: Int, output: Int32) -> Bool {
        guard let request = slots[index].request else { return false }
        guard let token = request.sampler.sample(from: context, index: output) else {
            release(slotAt: index, keepingCache: false)
            request.fail(LlamaError.noTokenAllowed(model: info.name, generated: request.generated))
            return true
        }
        let now = ContinuousClock.now
        if request.firstToken == nil { request.firstToken = now }
        request.pending = nil
        func end(_ reason: StopReason) -> Bool {
            release(slotAt: index, keepingCache: true)
            request.finish(reason, now: now)
            return true
        }
        if context.model.isEndOfGeneration(token) { return end(.endOfSequence) }
        request.generated += 1
        request.lastToken = now
        let listening: Bool
        switch request.text.append(context.model.piece(token)) {
        case .text(let text):
            listening = request.emit(GeneratedPiece(token: token, text: text))
        case .stopped(let before, let stop):
            _ = request.emit(GeneratedPiece(token: token, text: before))
            return end(.stopString(stop))
        }
        if !listening {
            release(slotAt: index, keepingCache: false)
            request.continuation.finish()
            return true
        }
        if request.generated >= request.maxTokens { return end(.maxTokens) }
        if slots[index].cached.count >= info.contextLength { return end(.contextFull) }
        request.pending = token
        return false
    }
}
