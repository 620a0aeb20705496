/**
 * `bundleLens/tune`: the performance tuning report of a bundle (issue 9), for the Performance tree
 * and its report. Core counts (one streamed pass per log, bounded tables); the words come from
 * `src/shared/render-tune.ts` in the display language.
 */
import * as l10n from '@vscode/l10n';
import { ResponseError, type CancellationToken, type Connection } from 'vscode-languageserver/node';
import { InputError } from '../core/bundle/inputs';
import { MAX_TOP, tunePath, TuneOptionError, type TuneOptions } from '../core/tune';
import { TuneRequestMethod, type TuneParams, type TuneView } from '../shared/protocol';
import { inputErrorMessage } from '../shared/render';
import { tuneView } from '../shared/render-tune';

export function registerTune(connection: Connection, run: <T>(name: string, token: CancellationToken, work: () => Promise<T>) => Promise<T>): void {
  connection.onRequest(TuneRequestMethod, (params: TuneParams, token: CancellationToken): Promise<TuneView> =>
    run('tune', token, async () => {
      if (typeof params?.path !== 'string' || params.path === '') throw new ResponseError(1, l10n.t('No folder, archive or log was given.'));
      const options: TuneOptions & { token: CancellationToken } = { token };
      if (typeof params.from === 'string' && params.from.trim()) options.from = params.from.trim();
      if (typeof params.to === 'string' && params.to.trim()) options.to = params.to.trim();
      if (typeof params.top === 'number') options.top = params.top;
      try {
        return tuneView(await tunePath(params.path, options));
      } catch (e) {
        if (e instanceof InputError) throw new ResponseError(1, inputErrorMessage(e, params.path));
        if (e instanceof TuneOptionError) {
          if (e.field === 'top') throw new ResponseError(1, l10n.t('top "{0}" is not a whole number from 1 to {1}.', e.value, MAX_TOP));
          if (e.field === 'to' && params.from) throw new ResponseError(1, l10n.t('to "{0}" is not a time as the log writes it (for example Mar 03 14:05:00), or it is before from "{1}".', e.value, String(params.from).trim()));
          throw new ResponseError(1, l10n.t('{0} "{1}" is not a time as the log writes it (for example Mar 03 14:05:00).', e.field, e.value));
        }
        throw e;
      }
    }),
  );
}
