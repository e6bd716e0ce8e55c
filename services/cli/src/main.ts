/** `yingpan` — the operators' and auditors' command line. */
import { Command, CommanderError, InvalidArgumentError } from 'commander';
// The runtime without the GraphQL schema: the command line starts in a fraction of the time.
import { readFileSync, writeFileSync } from 'node:fs';
import {
  checkpointSignerFor,
  configFromEnv,
  describeConfig,
  fileStoreFor,
  mintProblem,
  openLogReadOnly,
  openRuntime,
  openTransparency,
  tokensFor,
  useConfiguredClock,
} from '@yingpan/api/runtime';
import { buildKit, commandLineReader, KitRequestError, kitPage } from '@yingpan/api/kit';
import { ROLES, type Role } from '@yingpan/domain';
import { findPerson } from '@yingpan/projections';
import {
  EVENT_COLUMNS,
  NoteError,
  TransparencyError,
  checkKit,
  checkProofFile,
  formatChainVersions,
  formatDigest,
  parseDigest,
  rowToEvent,
  verifierFromKey,
  verifierKeyOf,
  type ConsistencyProofFile,
  type EventRow,
  type Head,
  type InclusionProofFile,
} from '@yingpan/event-store';
import { SCALES, seedCounty, type ScaleName } from '@yingpan/seed';
import { verifyBundle } from './bundle.ts';
import { FolderFileStore } from '@yingpan/files';
import { bundleFilesDir, checkEvidenceFiles, checkNamedFiles, noteEvidence } from './evidence.ts';
import { registerMovingCommands } from './moving.ts';
import { progressBar } from './progress.ts';
import { witness, witnessKey } from './witness.ts';
import { registerInitCommand, registerResetTotpCommand } from './init.ts';

const program = new Command('yingpan')
  .description(
    '营盘 yingpan: the permanent record of people’s-congress duty performance.\n' +
      'Uses DATABASE_URL (PostgreSQL) or the embedded store in YINGPAN_DATA_DIR (default .data/pglite), and KURRENTDB_URL if set.',
  )
  .showHelpAfterError()
  // A usage error or --help throws (runCli answers it with the exit code) instead of ending the process.
  .exitOverride();

const integer = (value: string) => {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 0) throw new InvalidArgumentError('expected a non-negative integer');
  return parsed;
};

const digestArg = (value: string): Head => {
  try {
    return parseDigest(value);
  } catch (error) {
    throw new InvalidArgumentError((error as Error).message);
  }
};

async function withRuntime<T>(work: (runtime: Awaited<ReturnType<typeof openRuntime>>) => Promise<T>): Promise<T> {
  const config = configFromEnv();
  useConfiguredClock(config);
  console.error(`Store: ${describeConfig(config)}`);
  const runtime = await openRuntime(config);
  try {
    return await work(runtime);
  } finally {
    await runtime.close();
  }
}

program
  .command('verify')
  .description(
    'Walk the whole log and check the hash chain, and every stored row for bytes no hash covers. Exit 0 when intact (with the ' +
      'chain versions seen), 1 naming the first position that fails.',
  )
  .option('--digest', 'print only the digest (position + head hash) to keep and check against later')
  .option('--against <digest>', 'also check that the log still holds this earlier digest', digestArg)
  .option('--bundle <file>', 'check a bundle from `yingpan export` instead, with no database: every hash, link and figure of its manifest')
  .action(async (options: { digest?: boolean; against?: Head; bundle?: string }) => {
    if (options.bundle) {
      const named = new Map<string, { position: number; name: string }>();
      const result = await verifyBundle(options.bundle, (event) => noteEvidence(named, event));
      if (!result.ok) {
        console.error(`FAILED at line ${result.line}${result.position ? ` (position ${result.position})` : ''}: ${result.reason}`);
        process.exitCode = 1;
        return;
      }
      // The evidence files the bundle's events name, in the folder beside it.
      const files = await checkNamedFiles(named, new FolderFileStore(bundleFilesDir(options.bundle)));
      if (files.problems.length > 0) {
        console.error(
          `FAILED (evidence files): ${files.problems.length} of the ${files.files} files the bundle names are missing or altered in ${bundleFilesDir(options.bundle)}:`,
        );
        for (const problem of files.problems) {
          console.error(
            `  ${problem.problem === 'missing' ? '缺失 missing' : '被改动 altered'}  ${problem.sha256}  «${problem.name}», attached at position ${problem.position}`,
          );
        }
        process.exitCode = 1;
        return;
      }
      console.log(`OK: ${result.summary}.`);
      if (files.files > 0) console.log(`Evidence files: the ${files.files} the bundle names are beside it, each with the bytes its hash names.`);
      return;
    }
    // Read-only: no migrations, no projector, nothing created where there was nothing.
    const config = configFromEnv();
    console.error(`Store: ${describeConfig(config)}`);
    const log = await openLogReadOnly(config);
    const bar = progressBar('Verifying', 'events');
    const result = await log.store
      .verify({ digest: options.against, onProgress: ({ checked, total }) => bar.update(checked, total) })
      .finally(() => bar.stop());
    // The Merkle tree against the log and every checkpoint kept (docs/decisions.md §11), when the chain holds.
    const tree: { leaves: number; checkpoints: number } | Error | null =
      result.ok && log.tree ? await log.tree.audit().catch((error: unknown) => (error instanceof Error ? error : new Error(String(error)))) : null;
    // Every evidence file the log names, in the file store (YINGPAN_FILES_DIR), with the bytes its hash names.
    const evidence = result.ok ? await checkEvidenceFiles(log.store, fileStoreFor(config)) : null;
    await log.close();
    if (!result.ok) {
      console.error(`FAILED at position ${result.position} (${result.kind}): ${result.message}`);
      console.error(`${result.count} events before it verified (chain versions: ${formatChainVersions(result.chainVersions)}).`);
      process.exitCode = 1;
      return;
    }
    if (tree instanceof Error) {
      console.error(`FAILED (Merkle tree${tree instanceof TransparencyError ? `, ${tree.failure}` : ''}): ${tree.message}`);
      console.error(`The hash chain holds (${result.count} events); the tree or a checkpoint kept says the log was rewritten.`);
      process.exitCode = 1;
      return;
    }
    if (evidence && evidence.problems.length > 0) {
      const said = { missing: '缺失 missing', altered: '被改动 altered' } as const;
      console.error(
        `FAILED (evidence files): ${evidence.problems.length} of the ${evidence.files} files the log names are missing or altered in ${config.filesDir}:`,
      );
      for (const problem of evidence.problems)
        console.error(`  ${said[problem.problem]}  ${problem.sha256}  «${problem.name}», attached at position ${problem.position}`);
      console.error(`The hash chain holds (${result.count} events); restore these files from a backup or an export.`);
      process.exitCode = 1;
      return;
    }
    if (options.digest) {
      console.log(formatDigest(result.head));
      return;
    }
    console.log(`OK: ${result.count} events verified; head position ${result.head.position}, hash ${result.head.hash}`);
    console.log(`Chain versions: ${formatChainVersions(result.chainVersions)}.`);
    if (tree)
      console.log(`Merkle tree: ${tree.leaves} leaves match the log; ${tree.checkpoints} checkpoint${tree.checkpoints === 1 ? '' : 's'} kept still hold.`);
    if (evidence) console.log(`Evidence files: the ${evidence.files} the log names are kept, each with the bytes its hash names.`);
    if (options.against) console.log(`The log still holds digest ${formatDigest(options.against)}.`);
  });

const scaleArg = (value: string): ScaleName => {
  if (value === 'province' || value in SCALES) return value as ScaleName;
  throw new InvalidArgumentError(`expected one of ${[...Object.keys(SCALES), 'province'].join(', ')}`);
};

program
  .command('seed')
  .description('Build the deterministic demo county (two terms) through the domain commands; running it again adds nothing.')
  .option('--seed <n>', 'random seed', integer, 1)
  .option('--scale <scale>', 'small (seconds, for tests), county (about 1,500 people), province (100 counties)', scaleArg, 'county')
  .action(async (options: { seed: number; scale: ScaleName }) => {
    await withRuntime(async ({ store, projector }) => {
      const bar = progressBar(`Seeding (${options.scale})`, 'commands');
      const started = Date.now();
      const summary = await seedCounty(store, { ...options, onProgress: ({ commands, estimate }) => bar.update(commands, estimate) }).finally(() => bar.stop());
      const seconds = (Date.now() - started) / 1000;
      console.log(
        `Seeded ${summary.events.toLocaleString('en')} events from ${summary.commands.toLocaleString('en')} commands in ${seconds.toFixed(1)} s ` +
          `(${Math.round(summary.events / seconds).toLocaleString('en')} events/s): ${summary.people} people, ${summary.stations} stations.`,
      );
      const refused = Object.entries(summary.rejectedByRules);
      if (refused.length) console.log(`Refused by the domain rules (left out): ${refused.map(([key, n]) => `${key} ×${n}`).join(', ')}`);
      await projector.catchUp();
      console.log(`Log head at ${(await store.head()).position}.`);
    });
  });

program
  .command('rebuild')
  .description('Rebuild read models from position zero beside the live ones, then switch over atomically.')
  .argument('[names...]', 'projections to rebuild (default: all)')
  .action(async (names: string[]) => {
    await withRuntime(async ({ projector }) => {
      const chosen = names.length ? projector.projections.filter((projection) => names.includes(projection.name)) : projector.projections;
      const unknown = names.filter((name) => !projector.projections.some((projection) => projection.name === name));
      if (unknown.length) throw new Error(`unknown projection(s): ${unknown.join(', ')}; known: ${projector.projections.map((p) => p.name).join(', ')}`);
      // One pass over the log feeds every chosen projection.
      const bar = progressBar(`Rebuilding ${chosen.map((projection) => projection.name).join(', ')}`, 'events');
      const started = Date.now();
      const failures = await projector.rebuildAll(chosen, (position, head) => bar.update(position, head)).finally(() => bar.stop());
      const seconds = ((Date.now() - started) / 1000).toFixed(1);
      console.log(`rebuilt ${chosen.length - failures.length} of ${chosen.length} in ${seconds} s`);
      for (const failure of failures) {
        console.error(`${failure.projection} FAILED at position ${failure.position} (${failure.eventType} ${failure.eventId}): ${failure.message}`);
      }
      if (failures.length > 0) process.exitCode = 1;
    });
  });

program
  .command('status')
  .description('Show each projection’s position, lag and failure, if any.')
  .action(async () => {
    await withRuntime(async ({ projector }) => {
      for (const row of await projector.status()) {
        const failure = row.failure ? `  FAILED at ${row.failure.position} (${row.failure.eventType}): ${row.failure.message}` : '';
        console.log(
          `${row.name.padEnd(20)} v${row.version}  at ${row.position}/${row.headPosition}  lag ${row.lagEvents} events, ${row.lagSeconds.toFixed(1)} s${failure}`,
        );
      }
    });
  });

const roleArg = (value: string): Role => {
  if ((ROLES as readonly string[]).includes(value) && value !== 'public') return value as Role;
  throw new InvalidArgumentError(`expected one of ${ROLES.filter((role) => role !== 'public').join(', ')}`);
};

program
  .command('token')
  .description(
    'Mint a sign-in token for local use, signed with YINGPAN_TOKEN_SECRET or else the secret kept in .data/token-secret ' +
      '(the one `npm start` uses). Deputies, station managers and committee members act as themselves: name them with --person.',
  )
  .requiredOption('--role <role>', `one of ${ROLES.filter((role) => role !== 'public').join(', ')}`, roleArg)
  .option('--person <id>', 'the person (directory id) the token acts as')
  .option('--name <name>', 'a display name to carry')
  .option('--expires-in <span>', 'how long it is valid, e.g. 12h, 7d', '12h')
  .action(async (options: { role: Role; person?: string; name?: string; expiresIn: string }) => {
    const mint = { role: options.role, personId: options.person, name: options.name, expiresIn: options.expiresIn };
    const problem = mintProblem(mint);
    if (problem) throw new InvalidArgumentError(problem);
    if (options.person) {
      const person = await withRuntime(({ db }) => findPerson(db, options.person!));
      if (!person) throw new InvalidArgumentError(`no person ${options.person} in the directory`);
      mint.name ??= person.name;
    }
    console.log(await tokensFor(configFromEnv()).mint(mint));
  });

registerInitCommand(program, withRuntime);
registerResetTotpCommand(program, withRuntime);

// ---------------------------------------------------------------------------------------------
// Checkpoints and proofs (docs/decisions.md §11).

/** Runs `work` on the log's tree; a refusal of the store is printed naming what failed, exit 1. */
async function withTree(work: (tree: Awaited<ReturnType<typeof openTransparency>>) => Promise<void>): Promise<void> {
  const config = configFromEnv();
  console.error(`Store: ${describeConfig(config)}`);
  const tree = await openTransparency(config);
  try {
    await work(tree);
  } catch (error) {
    if (!(error instanceof TransparencyError)) throw error;
    console.error(`REFUSED (${error.failure}): ${error.message}`);
    process.exitCode = 1;
  } finally {
    await tree.close();
  }
}

program
  .command('checkpoint')
  .description(
    'Sign and keep a checkpoint of the log’s Merkle tree now, and print it (a signed note: origin, tree size, root hash). Refused when ' +
      'the log no longer holds the latest checkpoint. The key is YINGPAN_CHECKPOINT_KEY_FILE (default .data/checkpoint-key, created on first use).',
  )
  .option('--public-key', 'print only the verifier key to publish (<name>+<key id>+<key>)')
  .option('--latest', 'print the latest checkpoint kept, issuing none')
  .action(async (options: { publicKey?: boolean; latest?: boolean }) => {
    if (options.publicKey) {
      console.log(verifierKeyOf(checkpointSignerFor(configFromEnv()).signer));
      return;
    }
    await withTree(async ({ log, signer, origin }) => {
      if (options.latest) {
        const latest = await log.latestCheckpoint();
        if (!latest) throw new TransparencyError('not-found', 'no checkpoint has been issued yet: run `yingpan checkpoint`');
        process.stdout.write(latest.note);
        return;
      }
      const { checkpoint, issued } = await log.issueCheckpoint(signer, origin);
      console.error(
        issued
          ? `Signed a checkpoint of ${checkpoint.treeSize} events.`
          : `The log has not grown since the checkpoint of ${checkpoint.treeSize} events (issued ${checkpoint.issuedAt}).`,
      );
      process.stdout.write(checkpoint.note);
    });
  });

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

program
  .command('prove')
  .description(
    'Print a proof as JSON, with the checkpoints it is for, for `yingpan verify-proof`: --event <id or position> [--checkpoint <size>] that ' +
      'an event is in a checkpointed tree (default: the latest checkpoint), or --from <size> [--to <size>] that a checkpoint extends an earlier one.',
  )
  .option('--event <id>', 'the event: its id (UUID) or its log position')
  .option('--checkpoint <size>', 'the tree size of a checkpoint kept (default: the latest)', integer)
  .option('--from <size>', 'the tree size of an earlier checkpoint (one kept here, or your own: then check with --checkpoint)', integer)
  .option('--to <size>', 'the tree size of a later checkpoint kept (default: the latest)', integer)
  .action(async (options: { event?: string; checkpoint?: number; from?: number; to?: number }) => {
    if ((options.event === undefined) === (options.from === undefined)) throw new InvalidArgumentError('give --event <id> or --from <size>');
    await withTree(async ({ log, db }) => {
      const checkpointOf = async (size: number | undefined) => {
        const checkpoint = size === undefined ? await log.latestCheckpoint() : await log.checkpointAt(size);
        if (!checkpoint) {
          const kept = (await log.checkpoints({ limit: 10 })).map((each) => each.treeSize);
          throw new TransparencyError(
            'not-found',
            size === undefined
              ? 'no checkpoint has been issued yet: run `yingpan checkpoint`'
              : `no checkpoint of tree size ${size} was issued (latest sizes: ${kept.join(', ') || 'none'})`,
          );
        }
        return checkpoint;
      };
      if (options.event !== undefined) {
        const byId = UUID.test(options.event);
        if (!byId && !/^[1-9]\d{0,15}$/.test(options.event)) throw new InvalidArgumentError('--event takes an event id (UUID) or a log position');
        const { rows } = await db.query<EventRow>(`SELECT ${EVENT_COLUMNS} FROM yingpan.events WHERE ${byId ? 'event_id = $1' : 'position = $1'}`, [
          byId ? options.event : Number(options.event),
        ]);
        if (!rows[0]) throw new TransparencyError('not-found', `no event ${options.event} in the log`);
        const event = rowToEvent(rows[0]);
        const checkpoint = await checkpointOf(options.checkpoint);
        if (event.position > checkpoint.treeSize) {
          throw new TransparencyError(
            'past-the-tree',
            `position ${event.position} is past the checkpoint of ${checkpoint.treeSize} events: issue a newer one with \`yingpan checkpoint\``,
          );
        }
        const proof = await log.inclusionProof(event.position, checkpoint.treeSize);
        const file: InclusionProofFile = {
          format: 'yingpan-inclusion-proof/v1',
          position: proof.position,
          treeSize: proof.treeSize,
          eventHash: proof.eventHash,
          hashes: proof.hashes.map((hash) => hash.toString('hex')),
          checkpoint: checkpoint.note,
          event,
        };
        console.log(JSON.stringify(file, null, 2));
        return;
      }
      // The earlier tree need not have a checkpoint kept here: an outsider checks against the one they kept.
      const from = await log.checkpointAt(options.from!);
      const to = await checkpointOf(options.to);
      if (from) await log.checkAgainst(from);
      const proof = await log.consistencyProof(options.from!, to.treeSize);
      const file: ConsistencyProofFile = {
        format: 'yingpan-consistency-proof/v1',
        fromSize: proof.fromSize,
        toSize: proof.toSize,
        hashes: proof.hashes.map((hash) => hash.toString('hex')),
        fromCheckpoint: from?.note ?? null,
        toCheckpoint: to.note,
      };
      console.log(JSON.stringify(file, null, 2));
    });
  });

/** A file's text, or "-" for standard input. */
const readText = (file: string) => readFileSync(file === '-' ? 0 : file, 'utf8');

/** The verifier of a --key option: the key's text, or a file holding it. */
function readVerifier(key: string): ReturnType<typeof verifierFromKey> {
  let keyText = key;
  try {
    if (!keyText.includes('+')) keyText = readText(keyText);
  } catch {
    throw new InvalidArgumentError(`--key: neither a verifier key nor a readable file: ${key}`);
  }
  try {
    return verifierFromKey(keyText.trim());
  } catch (error) {
    throw new InvalidArgumentError(`--key: ${error instanceof NoteError ? error.reason : String(error)}`);
  }
}

program
  .command('verify-proof')
  .description(
    'Check a proof printed by `yingpan prove` with nothing but the log’s published key — no database: the checkpoint’s signature and ' +
      'origin, and the proof against its root (an enclosed event is rehashed). Exit 0 when it holds, 1 naming what failed.',
  )
  .argument('<proof>', 'the proof file (JSON), or - for standard input')
  .requiredOption(
    '--key <key>',
    'the verifier key (<name>+<key id>+<key>, from `yingpan checkpoint --public-key` or checkpointPublicKey), or a file holding it',
  )
  .option('--origin <origin>', 'the origin the checkpoints must name (default: the key’s name)')
  .option('--checkpoint <file>', 'a checkpoint note you kept, to check against instead of the one in the proof (for a consistency proof: the earlier one)')
  .action((proofPath: string, options: { key: string; origin?: string; checkpoint?: string }) => {
    const verifier = readVerifier(options.key);
    let file: unknown;
    try {
      file = JSON.parse(readText(proofPath));
    } catch (error) {
      throw new InvalidArgumentError(`${proofPath}: not a JSON proof file (${(error as Error).message})`);
    }
    const result = checkProofFile(file, verifier, options.origin ?? verifier.name, options.checkpoint ? readText(options.checkpoint) : undefined);
    if (!result.ok) {
      console.error(`REFUSED: ${result.reason}`);
      process.exitCode = 1;
      return;
    }
    console.log(`OK: ${result.summary}.`);
  });

program
  .command('kit')
  .description(
    'Export an auditor’s kit: every event of one person’s record for a term (--person, --term) or one station’s books for a year ' +
      '(--station, --year), each with its inclusion proof in a signed checkpoint, for `yingpan verify-kit` and (with --html) as one page ' +
      'that checks it in a browser with no network. Voters’ personal data is withheld (hash only) unless --with-personal-data.',
  )
  .option('--person <name or id>', 'a person: their name (if only one has it) or their id')
  .option('--term <number>', 'the term of the person’s record, e.g. 18', integer)
  .option('--station <name or id>', 'a station: its name or its id')
  .option('--year <YYYY>', 'the year of the station’s books', integer)
  .requiredOption('--out <file>', 'where to write the kit (JSON)')
  .option('--html <file>', 'also write the kit as an offline page that checks itself')
  .option('--with-personal-data', 'enclose voters’ personal data (only for an exporter allowed to see it)')
  .action(async (options: { person?: string; term?: number; station?: string; year?: number; out: string; html?: string; withPersonalData?: boolean }) => {
    if (options.person !== undefined && options.term === undefined) throw new InvalidArgumentError('--person needs --term <number>');
    if (options.station !== undefined && options.year === undefined) throw new InvalidArgumentError('--station needs --year <YYYY>');
    if (options.person === undefined && options.station === undefined) {
      throw new InvalidArgumentError('give --person <name or id> --term <number>, or --station <name or id> --year <YYYY>');
    }
    await withTree(async (tree) => {
      const bar = progressBar('Proving', 'events');
      let kit: Awaited<ReturnType<typeof buildKit>>;
      try {
        const { person, term, station, year } = options;
        const reader = commandLineReader(options.withPersonalData === true);
        kit = await buildKit(tree.db, tree, { person, term, station, year, reader }, (done, total) => bar.update(done, total));
      } catch (error) {
        if (!(error instanceof KitRequestError)) throw error;
        throw new InvalidArgumentError(error.message);
      } finally {
        bar.stop();
      }
      writeFileSync(options.out, `${JSON.stringify(kit, null, 2)}\n`);
      if (options.html) writeFileSync(options.html, await kitPage(kit));
      const withheld = kit.entries.filter((entry) => entry.withheld).length;
      console.error(
        `Wrote ${kit.title}: ${kit.entries.length} events proven in the checkpoint of ${kit.treeSize}` +
          (withheld ? ` (${withheld} withheld: voters’ personal data, hash only)` : '') +
          ` to ${options.out}${options.html ? ` and ${options.html}` : ''}.`,
      );
      console.error(`Check it with: yingpan verify-kit ${options.out} --key '${kit.verifierKey}'`);
    });
  });

program
  .command('verify-kit')
  .description(
    'Check an auditor’s kit with nothing but the log’s published key — no database: the checkpoint’s signature and origin, every ' +
      'entry’s inclusion proof, and every enclosed event rehashed. Exit 0 when all hold, 1 naming each entry that fails.',
  )
  .argument('<kit>', 'the kit file (JSON), or - for standard input')
  .requiredOption('--key <key>', 'the verifier key as published (not the one inside the kit), or a file holding it')
  .option('--origin <origin>', 'the origin the checkpoint must name (default: the key’s name)')
  .option('--checkpoint <file>', 'a checkpoint note you kept, to check against instead of the kit’s')
  .action((kitPath: string, options: { key: string; origin?: string; checkpoint?: string }) => {
    const verifier = readVerifier(options.key);
    let file: unknown;
    try {
      file = JSON.parse(readText(kitPath));
    } catch (error) {
      throw new InvalidArgumentError(`${kitPath}: not a JSON kit (${(error as Error).message})`);
    }
    const result = checkKit(file, verifier, options.origin ?? verifier.name, options.checkpoint ? readText(options.checkpoint) : undefined);
    if (!result.ok) {
      for (const entry of result.entries.filter((each) => !each.ok)) console.error(`  position ${entry.position}: ${entry.message}`);
      console.error(
        `REFUSED: ${result.entries.length ? `${result.entries.filter((each) => !each.ok).length} of ${result.entries.length} entries fail` : result.reason}`,
      );
      process.exitCode = 1;
      return;
    }
    console.log(`OK: ${result.summary}.`);
  });

program
  .command('witness')
  .description(
    'Witness the log from outside: fetch its latest signed checkpoint from <url> (the public GraphQL API), check the signature with the ' +
      'log’s key you pinned, check that the tree only grew since the checkpoint kept last (a consistency proof), then cosign it with ' +
      'this witness’s own key and keep it. Exit 0 when cosigned, 1 naming what failed — a log rewritten below what was kept is caught.',
  )
  .argument('[url]', 'the log’s address, e.g. https://rd.example.gov.cn (its /graphql is asked)')
  .option('--key <key>', 'the log’s verifier key as published, or a file holding it (pin it once)')
  .option('--origin <origin>', 'the origin the checkpoints must name (default: the key’s name)')
  .option('--state <dir>', 'where the witness keeps its key and the last checkpoint it cosigned', '.data/witness')
  .option('--name <name>', 'the witness’s name, the name of its key (e.g. witness.court.example)', 'witness.local')
  .option('--public-key', 'print only this witness’s verifier key, to publish beside its cosignatures')
  .action(async (url: string | undefined, options: { key?: string; origin?: string; state: string; name: string; publicKey?: boolean }) => {
    if (options.publicKey) {
      console.log(witnessKey(options.state, options.name));
      return;
    }
    if (!url) throw new InvalidArgumentError('give the log’s address, e.g. yingpan witness https://rd.example.gov.cn --key <key>');
    if (!options.key) throw new InvalidArgumentError('--key: the log’s published verifier key is needed, to check its signature');
    const verifier = readVerifier(options.key);
    const outcome = await witness({ url, verifier, origin: options.origin ?? verifier.name, stateDir: options.state, name: options.name });
    if (!outcome.ok) {
      console.error(`REFUSED: ${outcome.reason}`);
      process.exitCode = 1;
      return;
    }
    console.error(`OK: ${outcome.message}.`);
    process.stdout.write(outcome.cosigned);
  });

registerMovingCommands(program);

/**
 * Runs the command line on `argv` (shaped as `process.argv`): what `bin/yingpan.mjs` does, and
 * what the tests call in their own process. The outcome is `process.exitCode` (0 when unset).
 */
export async function runCli(argv: readonly string[] = process.argv): Promise<void> {
  try {
    await program.parseAsync([...argv]);
  } catch (error) {
    // (An InvalidArgumentError thrown by a command's own action is not one Commander has reported.)
    if (error instanceof CommanderError && !(error instanceof InvalidArgumentError)) {
      // Commander has already said what was wrong (or shown the help).
      process.exitCode = error.exitCode;
      return;
    }
    console.error(`yingpan: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 2;
  }
}
