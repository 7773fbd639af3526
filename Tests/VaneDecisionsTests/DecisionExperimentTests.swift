import Testing
import VaneDecisions
import VaneIO
import VaneMetrics
import VaneTabular
import VaneTensor

@Suite("Decision experiment")
struct DecisionExperimentTests {
    /// 600 rows: noise, a column that copies the label (a leak), a row id, the label.
    static func table() throws -> Table {
        var generator = SeededGenerator(seed: 4)
        var text = "id,noise,leak,label\n"
        for i in 0..<600 {
            let label = generator.nextUnitDouble() < 0.3
            text += "\(i),\(generator.nextGaussian()),\(label ? "yes" : "no"),\(label ? 1 : 0)\n"
        }
        return try CSVTableLoader().load(TextFile(path: "leak.csv", text: text))
    }

    /// Laplace estimator, fixed bins (2 x 10), `ignored` columns never features.
    static func settings(targets: [Double], ignored: Set<String>) -> DecisionExperiment.Settings {
        var settings = DecisionExperiment.Settings()
        settings.estimator = .laplace
        settings.precisionTargets = targets
        settings.uncertaintyBins = 2
        settings.scoreBins = 10
        settings.ignoredColumns = ignored
        return settings
    }

    @Test func ignoredColumnsAreNeverFeatures() throws {
        var settings = Self.settings(targets: [0.9], ignored: ["id"])
        let leaking = try DecisionExperiment(table: Self.table(), labelColumn: "label", positive: "1", settings: settings).run(seed: 1)
        #expect(leaking.policies[.single]![0.9]!.recall > 0.95)
        settings.ignoredColumns = ["id", "leak"]
        let honest = try DecisionExperiment(table: Self.table(), labelColumn: "label", positive: "1", settings: settings).run(seed: 1)
        #expect(honest.curve["raw"]![0.9]! < 0.2)
        #expect(honest.bins[.ewDPMT]![0.9]! == .init(uncertaintyBins: 2, scoreBins: 10))
    }

    @Test func riskControlFitsEveryPolicyByLearnThenTest() throws {
        var settings = Self.settings(targets: [0.7], ignored: ["id"])
        settings.riskControl = .init(delta: 0.1)
        let outcome = try DecisionExperiment(table: Self.table(), labelColumn: "label", positive: "1", settings: settings).run(seed: 1)
        for kind in ThresholdPolicy.Kind.allCases {
            let report = outcome.riskControl[kind]![0.7]!
            // 120 validation rows: 60 learn, 60 calibrate.
            #expect(report.learningExamples == 60 && report.calibrationExamples == 60)
            #expect(outcome.fitted[kind]![0.7]!.bound == .clopperPearson(confidence: 0.9))
        }
        // The leak column makes precision 0.7 easy to show even on 60 rows.
        #expect(outcome.policies[.single]![0.7]!.recall > 0.7)
    }

    @Test func sweepSummarisesSeedsAndCountsOnlyKeptPromises() throws {
        let settings = Self.settings(targets: [0.5, 0.9], ignored: ["id", "leak"])
        let experiment = try DecisionExperiment(table: Self.table(), labelColumn: "label", positive: "1", settings: settings)
        let sweep = try DecisionSweep.run(experiment, seeds: [1, 2, 3])
        for target in settings.precisionTargets {
            for kind in ThresholdPolicy.Kind.allCases {
                let cell = sweep.cell(kind, target: target)!
                #expect(cell.recall.values.count == 3)
                let evaluations = sweep.outcomes.map { $0.policies[kind]![target]! }
                #expect(cell.recall.values == evaluations.map(\.recall))
                #expect(cell.seedsMeeting + cell.seedsViolating + (cell.seedsAcceptingNothing) >= 3)
                #expect(cell.seedsViolating == evaluations.filter { $0.accepted > 0 && $0.precision < target - PolicyEvaluation.tolerance }.count)
            }
            let gain = sweep.gain(.mist, target: target)!
            let expected = sweep.outcomes.compactMap { outcome -> Double? in
                let mist = outcome.policies[.mist]![target]!, single = outcome.policies[.single]![target]!
                return mist.keepsPromise && single.keepsPromise ? mist.recall - single.recall : nil
            }
            #expect(gain.honest?.values ?? [] == expected)
            #expect(gain.curve.values.count == 3)
        }
        #expect(sweep.gain(.single, target: 0.5) == nil)
        #expect(throws: DecisionError.self) { _ = try DecisionSweep.run(experiment, seeds: []) }
    }

    @Test func verdictsFollowTheirRule() {
        func gain(honest: [Double]?, curve: [Double], keeps: Int = 0) -> DecisionSweep.Gain {
            DecisionSweep.Gain(honest: honest.map { SeedSummary($0) }, curve: SeedSummary(curve), seedsKeepingWhereSingleBreaks: keeps, seedCount: 3)
        }
        #expect(gain(honest: nil, curve: [0.02, 0.05, 0.011]).verdict() == .wins)  // curve better on every seed
        #expect(gain(honest: [0.02, 0.03, 0.05], curve: [0.0, -0.02, 0.01]).verdict() == .wins)  // honest, every seed counted
        #expect(gain(honest: [0.02, 0.03], curve: [0.0, 0.0, 0.0]).verdict() == .undecided)  // one seed not counted
        #expect(gain(honest: nil, curve: [-0.05, 0.0, 0.0], keeps: 2).verdict() == .wins)  // keeps a promise single breaks
        #expect(gain(honest: nil, curve: [-0.02, -0.03, -0.011]).verdict() == .loses)
        #expect(gain(honest: [0.5, 0.5, 0.5], curve: [-0.02, -0.03, -0.011]).verdict() == .wins)  // a win outranks the curve
        #expect(gain(honest: nil, curve: [0.02, -0.02, 0.0]).verdict() == .undecided)
    }

    @Test func sparseIDTablesAreSeededAndValidated() throws {
        var simulator = SparseIDTableSimulator()
        simulator.rows = 2_000
        simulator.itemCount = 500
        let first = try simulator.csv(seed: 3), again = try simulator.csv(seed: 3), other = try simulator.csv(seed: 4)
        #expect(first.text == again.text && first.text != other.text)
        let table = try CSVTableLoader().load(TextFile(path: "rare.csv", text: first.text))
        #expect(table.rowCount == 2_000 && table.columnNames == ["item", "context_a", "context_b", "converted"])
        // Zipf popularity: the most common ID takes far more than 1/500 of the rows, and many IDs are rare.
        let items = first.text.split(separator: "\n").dropFirst().map { $0.split(separator: ",")[0] }
        let counts = Dictionary(items.map { ($0, 1) }, uniquingKeysWith: +)
        #expect(counts["item0"]! > 100 && counts.values.filter { $0 <= 2 }.count > 100)
        // Base rate near sigmoid(-1.2) spread by the item effects: between 15% and 40%.
        #expect((300...800).contains(first.positives))
        simulator.itemCount = 0
        #expect { _ = try simulator.csv(seed: 1) } throws: { ($0 as? DecisionError)?.field == "itemCount" }
    }

    @Test func autoEstimatorIsChosenOnValidationAndReported() throws {
        var settings = Self.settings(targets: [0.6, 0.8], ignored: ["id"])
        settings.estimatorCandidates = [.laplace, .ensemble]
        let experiment = try DecisionExperiment(table: Self.table(), labelColumn: "label", positive: "1", settings: settings)
        let outcome = try experiment.run(seed: 2)
        #expect(outcome.estimatorTrials.map(\.estimator) == [.laplace, .ensemble])
        let best = outcome.estimatorTrials.max { $0.score < $1.score }!
        #expect(outcome.estimator == (outcome.estimatorTrials.first { $0.score == best.score }!.estimator))
        #expect(outcome.estimatorTrials.allSatisfy { $0.score >= 0 && $0.score <= 1 })
        #expect(try experiment.run(seed: 2).estimatorTrials == outcome.estimatorTrials)
        // auto gives the chosen estimator's own run with the same seed, whatever was tried before it: same
        // held-out scores and policies (the winner used to train on draws its predecessors had moved).
        for candidates in [[UncertaintyEstimator.laplace, .ensemble], [.ensemble, .laplace]] {
            var reordered = settings
            reordered.estimatorCandidates = candidates
            (reordered.uncertaintyBins, reordered.scoreBins) = (nil, nil)  // bins chosen by a seeded search after the choice
            let auto = try DecisionExperiment(table: Self.table(), labelColumn: "label", positive: "1", settings: reordered).run(seed: 2)
            var fixed = Self.settings(targets: [0.6, 0.8], ignored: ["id"])
            fixed.estimator = auto.estimator
            (fixed.uncertaintyBins, fixed.scoreBins) = (nil, nil)
            let alone = try DecisionExperiment(table: Self.table(), labelColumn: "label", positive: "1", settings: fixed).run(seed: 2)
            let aloneTest = try #require(alone.testExamples), autoTest = try #require(auto.testExamples)
            #expect(aloneTest.scores == autoTest.scores, "candidates \(candidates), chose \(auto.estimator)")
            #expect(aloneTest.uncertainties == autoTest.uncertainties)
            #expect(alone.policies == auto.policies)
        }
        #expect(throws: DecisionError.self) { _ = try EstimatorChoice(candidates: [], targets: [0.5]) }
    }

    @Test func unknownIgnoredColumnIsNamed() throws {
        var settings = DecisionExperiment.Settings()
        settings.ignoredColumns = ["click_id"]
        #expect { try DecisionExperiment(table: Self.table(), labelColumn: "label", positive: "1", settings: settings) } throws: {
            ($0 as? DecisionError)?.code == .invalidInput && "\($0)".contains("\"click_id\"") && "\($0)".contains("leak.csv")
        }
        settings = DecisionExperiment.Settings()
        settings.uncertaintyBins = 0
        #expect { try DecisionExperiment(table: Self.table(), labelColumn: "label", positive: "1", settings: settings) } throws: {
            ($0 as? DecisionError)?.code == .invalidConfiguration
        }
    }
}
