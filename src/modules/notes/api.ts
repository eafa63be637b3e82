// JSON API for case notes and the chronology (/api/v1). Same service, access rules and logging as the pages.
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { DateStr, DateTime, errors, Id, Nullable, PersonParams } from '../../http/api-schema.ts';
import { NotFound } from '../../http/errors.ts';
import type { Body } from '../../http/forms.ts';
import { requirePersonAccess, requireUser } from '../../http/request.ts';
import {
  ChronologyFilter,
  CorrectionInput,
  DRAFT_FIELDS,
  NOTE_TYPES,
  NoteInput,
  PageQuery,
  readDraft,
  readNote,
} from './schemas.ts';
import type { NotesService } from './service.ts';

const NoteType = Type.Union(
  Object.keys(NOTE_TYPES).map((t) => Type.Literal(t)),
  {
    description: Object.entries(NOTE_TYPES)
      .map(([k, v]) => `${k}: ${v}`)
      .join('; '),
  },
);
const Time = Type.String({ description: 'HH:MM, 24-hour London time', examples: ['14:30'] });

/** One version of a note as written. */
const Version = Type.Object({
  version: Type.Integer({ minimum: 1 }),
  note_type: NoteType,
  contact_date: DateStr,
  contact_time: Time,
  present: Nullable(Type.String()),
  what_happened: Type.String(),
  voice: Nullable(Type.String()),
  significant: Type.Boolean(),
  summary: Nullable(Type.String()),
  correction_reason: Nullable(
    Type.String({ description: 'Why this version corrects the one before (null on version 1)' }),
  ),
  written_by: Nullable(Type.String()),
  written_at: DateTime,
});
const NoteSummary = Type.Object({ id: Id, current: Version });
const Note = Type.Object({
  id: Id,
  version: Type.Integer({ description: 'The current version: send it with a correction' }),
  current: Version,
  earlier: Type.Array(Version, { description: 'Earlier versions, newest first' }),
});
const Event = Type.Object({
  note_id: Id,
  note_type: NoteType,
  contact_date: DateStr,
  contact_time: Time,
  summary: Type.String(),
  recorded_by: Nullable(Type.String()),
});
const NoteParams = Type.Object({ personId: Id, noteId: Id });

type VersionRow = Awaited<ReturnType<NotesService['note']>>['note']['current'];
const version = (v: VersionRow) => ({
  version: v.version,
  note_type: v.note_type,
  contact_date: v.contact_date,
  contact_time: v.contact_time,
  present: v.present,
  what_happened: v.what_happened,
  voice: v.voice,
  significant: v.significant,
  summary: v.summary,
  correction_reason: v.correction_reason,
  written_by: v.written_by_name,
  written_at: v.written_at.toISOString(),
});

const read = { policy: { capability: 'person:read' as const, person: 'personId' } };
const edit = { policy: { capability: 'person:edit' as const, person: 'personId' } };
const tags = ['case notes'];

export function registerNotesApi(app: FastifyInstance) {
  notesApi(app);
  draftApi(app);
  noteApi(app);
  chronologyApi(app);
}

/** The notes on a record: a page of them, and a new one. */
function notesApi(app: FastifyInstance) {
  const { notes } = app.services;
  app.get(
    '/api/v1/people/:personId/notes',
    {
      config: read,
      schema: {
        tags,
        summary: 'Case notes on the record, newest contact first, 20 a page (the read is logged)',
        params: PersonParams,
        querystring: Type.Object(
          { page: Type.Optional(Type.String({ pattern: '^[0-9]{1,6}$', description: 'The page, from 1' })) },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({
            items: Type.Array(NoteSummary),
            page: Type.Integer(),
            pages: Type.Integer(),
            total: Type.Integer(),
          }),
          ...errors,
        },
      },
    },
    async (request) => {
      const { page } = PageQuery.parse(request.query as Body, notes.clock());
      const r = await notes.list(requireUser(request), requirePersonAccess(request), page, 'api');
      return {
        items: r.notes.map((n) => ({ id: n.id, current: version(n) })),
        page: r.page,
        pages: r.pages,
        total: r.total,
      };
    },
  );

  app.post(
    '/api/v1/people/:personId/notes',
    {
      config: edit,
      schema: {
        tags,
        summary: 'Write a case note (the date and time of the contact may not be in the future)',
        params: PersonParams,
        body: NoteInput.schema,
        response: { 201: Type.Object({ id: Id }), ...errors },
      },
    },
    async (request, reply) => {
      const { personId } = request.params as { personId: string };
      const input = readNote(NoteInput, request.body as Body, notes.clock());
      return reply.code(201).send({ id: await notes.add(requireUser(request), personId, input) });
    },
  );
}

/** A draft's fields, as typed in the form: none required, each only length-limited. */
const DraftBody = Type.Object(
  Object.fromEntries(
    Object.entries(DRAFT_FIELDS).map(([name, d]) => [name, Type.Optional(Type.String({ description: d.label }))]),
  ),
  { additionalProperties: false },
);
const Draft = Type.Object({ fields: DraftBody, saved_at: DateTime });
const NO_DRAFT = 'You have no draft of a note on this record.';

/** The caller's own draft of a note on this record: read, keep (replacing the last), discard. */
function draftApi(app: FastifyInstance) {
  const { notes } = app.services;
  const url = '/api/v1/people/:personId/notes/draft';
  const personId = (request: { params: unknown }) => (request.params as { personId: string }).personId;
  app.get(
    url,
    {
      config: edit,
      schema: {
        tags,
        summary: 'Your draft of a note on the record (nobody else’s)',
        params: PersonParams,
        response: { 200: Draft, ...errors },
      },
    },
    async (request) => {
      const draft = await notes.readDraft(requireUser(request), requirePersonAccess(request), 'api');
      if (!draft) throw new NotFound(NO_DRAFT);
      return { fields: draft.fields, saved_at: draft.saved_at.toISOString() };
    },
  );
  app.put(
    url,
    {
      config: edit,
      schema: {
        tags,
        summary: 'Keep your draft of a note, as typed (replaces your last one; an empty draft removes it)',
        params: PersonParams,
        body: DraftBody,
        response: { 200: Type.Object({ saved_at: DateTime }), ...errors },
      },
    },
    async (request) => {
      const at = await notes.saveDraft(requireUser(request), personId(request), readDraft(request.body as Body));
      return { saved_at: at.toISOString() };
    },
  );
  app.delete(
    url,
    {
      config: edit,
      schema: {
        tags,
        summary: 'Discard your draft of a note',
        params: PersonParams,
        response: { 204: Type.Null(), ...errors },
      },
    },
    async (request, reply) => {
      const gone = await notes.discardDraft(requireUser(request), personId(request));
      if (!gone) throw new NotFound(NO_DRAFT);
      return reply.code(204).send();
    },
  );
}

/** One note with its versions, and its correction. */
function noteApi(app: FastifyInstance) {
  const { notes } = app.services;
  app.get(
    '/api/v1/people/:personId/notes/:noteId',
    {
      config: read,
      schema: {
        tags,
        summary: 'A case note: its current version and every earlier one (the read is logged)',
        params: NoteParams,
        response: { 200: Note, ...errors },
      },
    },
    async (request) => {
      const { noteId } = request.params as { noteId: string };
      const { note } = await notes.note(requireUser(request), requirePersonAccess(request), noteId, 'api');
      return { id: note.id, version: note.version, current: version(note.current), earlier: note.earlier.map(version) };
    },
  );

  app.post(
    '/api/v1/people/:personId/notes/:noteId/corrections',
    {
      config: edit,
      schema: {
        tags,
        summary:
          'Correct a case note: the note as it should read, the reason, and the version you read (409 if someone corrected it since). The earlier versions are kept',
        params: NoteParams,
        body: CorrectionInput.schema,
        response: { 201: Type.Object({ id: Id, version: Type.Integer() }), ...errors },
      },
    },
    async (request, reply) => {
      const { personId, noteId } = request.params as { personId: string; noteId: string };
      const input = readNote(CorrectionInput, request.body as Body, notes.clock());
      const v = await notes.correct(requireUser(request), personId, noteId, input);
      return reply.code(201).send({ id: noteId, version: v });
    },
  );
}

/** The significant events, filtered. */
function chronologyApi(app: FastifyInstance) {
  const { notes } = app.services;
  app.get(
    '/api/v1/people/:personId/chronology',
    {
      config: read,
      schema: {
        tags,
        summary:
          'The significant events from the case notes, oldest first, by date range and type (the read is logged)',
        params: PersonParams,
        querystring: ChronologyFilter.schema,
        response: { 200: Type.Object({ items: Type.Array(Event) }), ...errors },
      },
    },
    async (request) => {
      const filter = ChronologyFilter.parse(request.query as Body, notes.clock());
      const { events } = await notes.chronology(requireUser(request), requirePersonAccess(request), filter, 'api');
      return {
        items: events.map((e) => ({
          note_id: e.id,
          note_type: e.note_type,
          contact_date: e.contact_date,
          contact_time: e.contact_time,
          summary: e.summary ?? '',
          recorded_by: e.recorded_by,
        })),
      };
    },
  );
}
