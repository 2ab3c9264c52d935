import Foundation
import ReverseSync

/// One `templatec sync` invocation over its pipelines, with every operation accounted for:
///
/// - with a state directory, results go to the run's journal as they happen, and the run record is
///   written at the end (the journal is then removed);
/// - a pipeline that another run on the same state directory is applying at this moment is refused
///   (`PipelineLock`), with every operation "not run";
/// - on SIGTERM or Ctrl-C the runner finishes the statements already sent and answers the rest
///   "not run", later pipelines are not started (also "not run"), and the responses and the record
///   are still written (`StopSignals`).
struct SyncRun {
    struct Input {
        var file: String
        var pipeline: ReverseIngestionPipeline
        /// `PipelineLock.digest` of the file's bytes: what the lock knows of it (the bytes
        /// themselves are not kept for the whole run).
        var fingerprint: String
    }

    let runner: Runner
    let connector: String
    let dryRun: Bool
    /// What the lock adds to a pipeline's bytes: the connector and the connection without password.
    let destination: String
    let stateDirectory: String?
    let progress: ProgressLine

    struct Result {
        var responses: [ReverseIngestionResponse]
        var record: RunRecord
        var stopped: String?
    }

    func apply(_ inputs: [Input], started: Date) -> Result {
        let store = stateDirectory.map { RunStore(stateDirectory: $0) }
        var journal: RunJournal?
        if let store {
            do {
                journal = try RunJournal(store: store, connector: connector, dryRun: dryRun, start: started)
            } catch {
                Output.stderr("templatec sync: cannot write the run journal in \(store.directory.path) (\(error.localizedDescription)); results are only kept at the end\n")
            }
        }
        let runID = journal?.id ?? RunStore.newID(started)
        runner.ledgerRun = runID

        var responses: [ReverseIngestionResponse] = []
        var pipelineRuns: [RunRecord.PipelineRun] = []
        var stopped: String?
        var doneBefore = 0
        for (p, input) in inputs.enumerated() {
            let pipeline = input.pipeline
            journal?.pipelineStarted(p, file: input.file, serviceId: pipeline.service.id, serviceName: pipeline.service.name,
                                     operations: pipeline.operations.count, start: Date())
            runner.onRecord = { index, record in journal?.record(pipeline: p, index: index, record) }
            runner.onBatchEnd = { journal?.sync() }
            runner.progress = { done, _ in progress.update(doneBefore + done) }

            let outcome: Runner.Outcome
            if let reason = stopped ?? runner.stopRequested() {
                stopped = reason
                outcome = runner.notRun(pipeline, reason: "not run: the run was stopped (\(reason)) before this pipeline; nothing of it was executed", stopped: reason)
            } else {
                switch acquire(input, runID: runID) {
                case .refused(let message):
                    outcome = runner.notRun(pipeline, reason: message)
                case .held(let lock):
                    outcome = runner.run(pipeline)
                    lock?.release()
                    if let problem = outcome.ledgerProblem { Output.stderr("templatec sync: \(problem)\n") }
                    if let reason = outcome.stopped { stopped = reason }
                }
            }
            doneBefore += pipeline.operations.count
            // Progress counts operations run or answered by their plan, not those left out by a stop.
            if outcome.stopped == nil { progress.update(doneBefore) }
            journal?.pipelineEnded(p, success: outcome.response.success, message: outcome.response.message, end: outcome.finished)
            responses.append(outcome.response)
            pipelineRuns.append(RunRecord.PipelineRun(
                file: input.file, serviceId: pipeline.service.id, serviceName: pipeline.service.name,
                success: outcome.response.success, message: outcome.response.message,
                start: outcome.started, end: outcome.finished, operations: outcome.operations,
                session: outcome.session.isEmpty ? nil : outcome.session))
        }
        progress.finish()

        var record = RunRecord(id: runID, connector: connector, dryRun: dryRun, start: started, end: Date(), pipelines: pipelineRuns)
        if let stopped {
            record.state = .stopped
            record.stoppedBy = stopped
        }
        if let store, let dir = stateDirectory {
            do {
                try store.save(record)
                journal?.remove()
                Output.stderr("templatec sync: run \(record.id) recorded in \(dir)\n")
            } catch {
                Output.stderr("templatec sync: could not record the run in \(dir): \(error.localizedDescription)\(journal.map { "; its results are in \($0.url.path)" } ?? "")\n")
            }
        }
        return Result(responses: responses, record: record, stopped: stopped)
    }

    private enum Admission {
        /// The pipeline may run, holding this lock (nil: no state directory, or a dry run).
        case held(PipelineLock?)
        /// Another run on this state directory is applying it: the message for every operation.
        case refused(String)
    }

    /// Takes the pipeline's lock for the whole of its run, or says why it cannot run now.
    private func acquire(_ input: Input, runID: String) -> Admission {
        guard let dir = stateDirectory, !dryRun else { return .held(nil) }
        let key = Array(destination.utf8) + [0] + Array(input.fingerprint.utf8)
        do throws(PipelineLock.Failure) {
            return .held(try PipelineLock(stateDirectory: dir, key: key, runID: runID))
        } catch {
            switch error {
            case .held(let holder):
                return .refused("not run: run \(holder ?? "(unknown)") is applying this same pipeline to this same connection from state directory \(dir) at this moment; nothing of it was executed again. Wait for that run to end (`templatec runs --state-dir \(dir)`)")
            case .unavailable(let why):
                Output.stderr("templatec sync: cannot lock the pipeline \(input.file) (\(why)); running it without the lock\n")
            }
            return .held(nil)
        }
    }
}
