// The case notes pages: the notes on a record (newest first, a page at a time), add a note, read a note with its
// earlier versions, correct a note (a new version with its reason), and the chronology of significant events.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { postForm, type Shown } from '../../http/form-post.ts';
import { type Body, dateInput, errorList } from '../../http/forms.ts';
import { requirePersonAccess, requireUser } from '../../http/request.ts';
import { formatDate, formatTime } from '../../http/views.ts';
import { registerNotesApi } from './api.ts';
import {
  ChronologyFilter,
  CorrectionInput,
  draftValues,
  NOTE_TYPES,
  NoteInput,
  PageQuery,
  readDraft,
  readNote,
} from './schemas.ts';

type PersonParams = { personId: string };
type NoteParams = PersonParams & { noteId: string };

const hide = { hide: true };

/** The form again as typed, the date in its three boxes. */
const typed = (shown: Shown, body: Body) => ({
  ...shown.values,
  contact_date: dateInput(body, 'contact_date').parts,
});

/** A version's fields as the correct form shows them to start with. */
function formOf(v: {
  note_type: string;
  contact_date: string;
  contact_time: string;
  present: string | null;
  what_happened: string;
  voice: string | null;
  significant: boolean;
  summary: string | null;
}) {
  const [year, month, day] = v.contact_date.split('-').map((x) => String(Number(x)));
  return {
    note_type: v.note_type,
    contact_date: { day, month, year },
    contact_time: v.contact_time,
    present: v.present ?? '',
    what_happened: v.what_happened,
    voice: v.voice ?? '',
    significant: v.significant ? 'yes' : 'no',
    summary: v.summary ?? '',
  };
}

/** "from 1 September 2026 to 30 November 2026, visits only": what the chronology is filtered by, in words. */
function filterWords(f: Partial<ChronologyFilter>): string {
  const parts = [];
  if (f.from_date) parts.push(`from ${formatDate(f.from_date)}`);
  if (f.to_date) parts.push(`to ${formatDate(f.to_date)}`);
  if (f.note_type) parts.push(`${NOTE_TYPES[f.note_type].toLowerCase()} only`);
  return parts.join(', ');
}

export function registerNotesRoutes(app: FastifyInstance) {
  const { notes } = app.services;
  const read = { policy: { capability: 'person:read' as const, person: 'personId' } };
  const edit = { policy: { capability: 'person:edit' as const, person: 'personId' } };

  app.get<{ Params: PersonParams }>(
    '/people/:personId/notes',
    { config: read, schema: hide },
    async (request, reply) => {
      const { input } = PageQuery.read(request.query as Body, notes.clock());
      const user = requireUser(request);
      const [data, draft] = await Promise.all([
        notes.list(user, requirePersonAccess(request), input.page ?? 1, 'page'),
        notes.draft(user, request.params.personId),
      ]);
      return reply.view('notes/views/list.njk', { ...data, draft, saved: saved(request.query) });
    },
  );

  app.get<{ Params: PersonParams }>(
    '/people/:personId/notes/new',
    { config: edit, schema: hide },
    async (request, reply) => {
      const user = requireUser(request);
      const [{ person }, draft] = await Promise.all([
        notes.header(user, requirePersonAccess(request)),
        notes.draft(user, request.params.personId),
      ]);
      const values = draft ? draftValues(draft.fields) : {};
      return reply.view('notes/views/new.njk', {
        person,
        noteTypes: NOTE_TYPES,
        values,
        draft,
        saved: saved(request.query),
      });
    },
  );

  app.post<{ Params: PersonParams }>(
    '/people/:personId/notes',
    { config: edit, schema: hide },
    async (request, reply) => {
      const user = requireUser(request);
      const id = request.params.personId;
      const body = (request.body ?? {}) as Body;
      return postForm(
        reply,
        body,
        async () => {
          await notes.add(user, id, readNote(NoteInput, body, notes.clock()));
          return `/people/${id}/notes?saved=added`;
        },
        async (shown) => {
          const { person } = await notes.header(user, requirePersonAccess(request));
          return reply.view('notes/views/new.njk', {
            person,
            noteTypes: NOTE_TYPES,
            ...shown,
            values: typed(shown, body),
          });
        },
      );
    },
  );

  registerDraft(app, edit);
  registerNote(app, read);
  registerCorrection(app, edit);
  registerChronology(app, read);
  registerNotesApi(app);
}

type Config = { policy: { capability: 'person:edit' | 'person:read'; person: string } };
const saved = (q: unknown) => String((q as Record<string, unknown>).saved ?? '');

/**
 * A note's draft: kept from the form as typed ("Save as draft", or the page's script a few seconds after a change,
 * which asks for JSON), and discarded on request. Too long a field → the form again with the message.
 */
function registerDraft(app: FastifyInstance, edit: Config) {
  const { notes } = app.services;
  app.post<{ Params: PersonParams }>(
    '/people/:personId/notes/draft',
    { config: edit, schema: hide },
    async (request, reply) => {
      const user = requireUser(request);
      const id = request.params.personId;
      const body = (request.body ?? {}) as Body;
      if (request.headers.accept === 'application/json') {
        const at = await notes.saveDraft(user, id, readDraft(body));
        return reply.send({ saved_at: at.toISOString(), saved_at_label: formatTime(at) });
      }
      return postForm(
        reply,
        body,
        async () => {
          await notes.saveDraft(user, id, readDraft(body));
          return `/people/${id}/notes/new?saved=draft`;
        },
        async (shown) => {
          const { person } = await notes.header(user, requirePersonAccess(request));
          return reply.view('notes/views/new.njk', {
            person,
            noteTypes: NOTE_TYPES,
            ...shown,
            values: typed(shown, body),
          });
        },
      );
    },
  );
  app.post<{ Params: PersonParams }>(
    '/people/:personId/notes/draft/discard',
    { config: edit, schema: hide },
    async (request, reply) => {
      await notes.discardDraft(requireUser(request), request.params.personId);
      return reply.redirect(`/people/${request.params.personId}/notes/new?saved=discarded`, 303);
    },
  );
}

/** Read a note: its current version, and the earlier ones if it was corrected. */
function registerNote(app: FastifyInstance, read: Config) {
  const { notes } = app.services;
  app.get<{ Params: NoteParams }>(
    '/people/:personId/notes/:noteId',
    { config: read, schema: hide },
    async (request, reply) => {
      const data = await notes.note(requireUser(request), requirePersonAccess(request), request.params.noteId, 'page');
      return reply.view('notes/views/note.njk', { ...data, saved: saved(request.query) });
    },
  );
}

/** Correct this note: the form (the current version to start from) and its POST. */
function registerCorrection(app: FastifyInstance, edit: Config) {
  const { notes } = app.services;
  const page = async (
    request: FastifyRequest<{ Params: NoteParams }>,
    reply: FastifyReply,
    shown?: Shown,
    body?: Body,
  ) => {
    const data = await notes.note(requireUser(request), requirePersonAccess(request), request.params.noteId, 'page');
    const values =
      shown && body ? typed(shown, body) : { ...formOf(data.note.current), version: String(data.note.version) };
    return reply.view('notes/views/correct.njk', { ...data, noteTypes: NOTE_TYPES, ...shown, values });
  };

  app.get<{ Params: NoteParams }>(
    '/people/:personId/notes/:noteId/correct',
    { config: edit, schema: hide },
    async (request, reply) => page(request, reply),
  );

  app.post<{ Params: NoteParams }>(
    '/people/:personId/notes/:noteId/corrections',
    { config: edit, schema: hide },
    async (request, reply) => {
      const { personId, noteId } = request.params;
      const body = (request.body ?? {}) as Body;
      return postForm(
        reply,
        body,
        async () => {
          await notes.correct(requireUser(request), personId, noteId, readNote(CorrectionInput, body, notes.clock()));
          return `/people/${personId}/notes/${noteId}?saved=corrected`;
        },
        (shown) => page(request, reply, shown, body),
      );
    },
  );
}

/** The chronology: significant events, filtered by a date range and a type, printable. */
function registerChronology(app: FastifyInstance, read: Config) {
  const { notes } = app.services;
  app.get<{ Params: PersonParams }>(
    '/people/:personId/chronology',
    { config: read, schema: hide },
    async (request, reply) => {
      const query = (request.query ?? {}) as Body;
      const { input, errors } = ChronologyFilter.read(query, notes.clock());
      const data = await notes.chronology(requireUser(request), requirePersonAccess(request), input, 'page');
      const problems = Object.keys(errors).length > 0;
      if (problems) reply.code(400);
      const words = filterWords(input);
      return reply.view('notes/views/chronology.njk', {
        ...data,
        noteTypes: NOTE_TYPES,
        values: {
          from_date: dateInput(query, 'from_date').parts,
          to_date: dateInput(query, 'to_date').parts,
          note_type: typeof query.note_type === 'string' ? query.note_type : '',
        },
        filtered: words !== '',
        filterWords: words,
        ...(problems ? { errors, errorList: errorList(errors) } : {}),
      });
    },
  );
}
