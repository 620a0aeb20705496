/**
 * `bundleLens/bundleView`: what the four trees show for one bundle (issue 8, part 1), from the
 * bundle's cached analysis: the findings with their evidence, the endpoint's facts, the codes seen
 * and the timeline, in words for the display language. Core gives ids and arguments; the words
 * come from `src/shared/render-*.ts`.
 */
import { koreanParticles } from '../shared/render';
import * as l10n from '@vscode/l10n';
import { ResponseError, type CancellationToken, type Connection } from 'vscode-languageserver/node';
import { InputError } from '../core/bundle/inputs';
import { caseView } from '../core/diagnose/case';
import { diagnoseIsolation } from '../core/diagnose/isolation';
import { diagnoseTetra } from '../core/diagnose/tetra';
import type { Evidence } from '../core/types';
import { BundleViewRequestMethod, type BundleView, type BundleViewParams, type EvidenceView } from '../shared/protocol';
import { findingAreaLabel, inputErrorMessage } from '../shared/render';
import { codeDescription, codeLabel, endpointFactDescription, endpointFactLabel, timelineDescription, timelineLabel } from '../shared/render-case';
import { verdictTitle } from '../shared/render-diagnosis';
import { findingViews } from '../shared/report';
import { bundleAnalyses } from './bundle';

const evidenceView = (e: Evidence): EvidenceView => ({ file: e.file, line: e.range.start.line + 1, text: e.text });

/** Timeline kinds that mean a failure or a success (the rest are plain events). */
const OUTCOME: Readonly<Record<string, 'ok' | 'failed'>> = {
  'tetra.updated': 'ok',
  'tetra.failed': 'failed',
  'isolation.failed': 'failed',
  'isolation.unlock-limit': 'failed',
  'policy.failed': 'failed',
  'policy.updated': 'ok',
};

export function registerCaseView(connection: Connection, run: <T>(name: string, token: CancellationToken, work: () => Promise<T>) => Promise<T>): void {
  connection.onRequest(BundleViewRequestMethod, (params: BundleViewParams, token: CancellationToken): Promise<BundleView> =>
    run('bundleView', token, async () => {
      if (typeof params.path !== 'string' || params.path === '') throw new ResponseError(1, l10n.t('No folder, archive or log was given.'));
      let analysis;
      try {
        ({ analysis } = await bundleAnalyses.get(params.path, token));
      } catch (e) {
        if (e instanceof InputError) throw new ResponseError(1, inputErrorMessage(e, params.path));
        throw e;
      }
      const view = caseView(analysis);
      const findings = findingViews(analysis).map((f) => {
        const area = f.id.split('.')[0] ?? f.id;
        return { ...f, area, areaLabel: findingAreaLabel(area) };
      });
      const counts = { error: 0, warning: 0, information: 0 };
      for (const f of findings) if (f.severity !== 'hint') counts[f.severity]++;
      const tetra = diagnoseTetra(analysis);
      const isolation = diagnoseIsolation(analysis);
      const logs = analysis.files.filter((f) => f.analysis);
      return {
        subject: params.path,
        kind: analysis.kind,
        counts,
        findings,
        endpoint: view.endpoint.map((fact) => {
          const first = fact.places[0];
          const item: BundleView['endpoint'][number] = {
            id: fact.id,
            value: fact.value,
            label: endpointFactLabel(fact),
            description: koreanParticles(endpointFactDescription(fact)),
            places: fact.places.map((p) => ({ file: p.file, line: p.line + 1 })),
          };
          if (first) {
            item.file = first.file;
            item.line = first.line + 1;
          }
          return item;
        }),
        codes: view.codes.map((code) => {
          const first = code.occurrences[0];
          const item: BundleView['codes'][number] = {
            text: code.text,
            count: code.count,
            label: codeLabel(code),
            description: koreanParticles(codeDescription(code)),
            occurrences: code.occurrences.map(evidenceView),
          };
          if (first) {
            item.file = first.file;
            item.line = first.range.start.line + 1;
          }
          return item;
        }),
        timeline: view.timeline.map((e) => ({
          kind: e.kind,
          time: e.time,
          outcome: OUTCOME[e.kind] ?? 'info',
          label: koreanParticles(timelineLabel(e)),
          description: koreanParticles(timelineDescription(e)),
          tooltip: e.text,
          file: e.place.file,
          line: e.place.line + 1,
        })),
        timelineTotal: view.timelineTotal,
        hints: { logs: logs.length, debugLogs: logs.filter((f) => f.analysis?.debug).length },
        verdicts: { tetra: { verdict: tetra.verdict, title: verdictTitle(tetra) }, isolation: { verdict: isolation.verdict, title: verdictTitle(isolation) } },
      };
    }),
  );
}
