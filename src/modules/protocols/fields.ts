// Reads one decision field from a form or an API body, by its type in the protocol definition.
import type { FieldDef } from '../../domain/protocol/definition.ts';
import { type Body, dateInput, isRealDate, text, UUID } from '../../http/forms.ts';

export function readField(f: FieldDef, body: Body): { value: unknown; error?: string } {
  switch (f.type) {
    case 'date': {
      const v = dateInput(body, f.name).value;
      if (!v) return { value: null };
      return isRealDate(v)
        ? { value: v }
        : { value: null, error: `${f.label} must be a real date, for example 27 3 2026` };
    }
    case 'yesno': {
      const v = text(body, f.name);
      if (!v) return { value: null };
      // Forms send yes/no; the API may send a JSON boolean.
      if (v === 'yes' || v === 'true') return { value: true };
      if (v === 'no' || v === 'false') return { value: false };
      return { value: null, error: `Choose yes or no for ${f.label.toLowerCase()}` };
    }
    case 'choice': {
      const v = text(body, f.name);
      if (!v) return { value: null };
      return f.options?.includes(v) ? { value: v } : { value: null, error: `Choose one of: ${f.options?.join(', ')}` };
    }
    case 'number': {
      const v = text(body, f.name);
      if (!v) return { value: null };
      return /^-?\d+(\.\d+)?$/.test(v) ? { value: Number(v) } : { value: null, error: `${f.label} must be a number` };
    }
    case 'user': {
      const v = text(body, f.name);
      if (!v) return { value: null };
      return UUID.test(v) ? { value: v } : { value: null, error: `Choose a person for ${f.label.toLowerCase()}` };
    }
    default: {
      const v = text(body, f.name);
      if (v.length > 5000) return { value: null, error: `${f.label} must be 5000 characters or fewer` };
      return { value: v || null };
    }
  }
}
