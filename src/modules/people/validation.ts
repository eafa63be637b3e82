// One checker per input, shared by the pages and the API: messages name the field and the fix.
import { checkNhsNumber, checkUpn } from '../../domain/identifiers.ts';
import { PERSON_STATUSES } from '../../domain/roles.ts';
import { type Body, dateInput, type FieldErrors, isRealDate, text, UUID } from '../../http/forms.ts';

export interface PersonInput {
  given_name: string;
  family_name: string;
  preferred_name: string | null;
  date_of_birth: string;
  gender: string | null;
  nhs_number: string | null;
  upn: string | null;
  address: string | null;
  postcode: string | null;
  school: string | null;
  locality_id: string | null;
}

const POSTCODE = /^[A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2}$/i;

function limit(errors: FieldErrors, field: string, value: string, label: string, max: number) {
  if (value.length > max) errors[field] = `${label} must be ${max} characters or fewer`;
}

export function readPersonInput(body: Body, today: string): { input: PersonInput; errors: FieldErrors } {
  const errors: FieldErrors = {};
  const given = text(body, 'given_name');
  const family = text(body, 'family_name');
  if (!given) errors.given_name = 'Enter the first name';
  if (!family) errors.family_name = 'Enter the last name';
  limit(errors, 'given_name', given, 'First name', 100);
  limit(errors, 'family_name', family, 'Last name', 100);
  const preferred = text(body, 'preferred_name');
  limit(errors, 'preferred_name', preferred, 'Preferred name', 100);

  const dob = dateInput(body, 'date_of_birth').value;
  if (!dob) errors.date_of_birth = 'Enter the date of birth, for example 27 3 2010';
  else if (!isRealDate(dob)) errors.date_of_birth = 'Date of birth must be a real date, for example 27 3 2010';
  else if (dob > today) errors.date_of_birth = 'Date of birth must be today or in the past';
  else if (Number(today.slice(0, 4)) - Number(dob.slice(0, 4)) > 26) {
    errors.date_of_birth = 'Date of birth must be within the last 26 years: Handover is for people aged 0 to 25';
  }

  const nhsRaw = text(body, 'nhs_number');
  let nhs: string | null = null;
  if (nhsRaw) {
    const r = checkNhsNumber(nhsRaw);
    if (r.ok) nhs = r.value;
    else errors.nhs_number = r.message;
  }
  const upnRaw = text(body, 'upn');
  let upn: string | null = null;
  if (upnRaw) {
    const r = checkUpn(upnRaw);
    if (r.ok) upn = r.value;
    else errors.upn = r.message;
  }
  const postcode = text(body, 'postcode').toUpperCase();
  if (postcode && !POSTCODE.test(postcode)) errors.postcode = 'Enter a real postcode, for example EX1 1AA';
  const address = text(body, 'address');
  limit(errors, 'address', address, 'Address', 500);
  const gender = text(body, 'gender');
  limit(errors, 'gender', gender, 'Gender', 50);
  const school = text(body, 'school');
  limit(errors, 'school', school, 'School or setting', 200);
  const locality = text(body, 'locality_id');
  if (locality && !UUID.test(locality)) errors.locality_id = 'Choose a locality from the list';

  return {
    input: {
      given_name: given,
      family_name: family,
      preferred_name: preferred || null,
      date_of_birth: dob,
      gender: gender || null,
      nhs_number: nhs,
      upn,
      address: address || null,
      postcode: postcode || null,
      school: school || null,
      locality_id: locality || null,
    },
    errors,
  };
}

export function readStatusInput(body: Body, today: string) {
  const errors: FieldErrors = {};
  const status = text(body, 'status');
  if (!Object.hasOwn(PERSON_STATUSES, status)) {
    errors.status = `Choose a status from the list: ${Object.values(PERSON_STATUSES).join(', ')}`;
  }
  let start = dateInput(body, 'start_date').value;
  if (!start) start = today;
  else if (!isRealDate(start)) errors.start_date = 'Start date must be a real date, for example 1 9 2026';
  else if (start > today) errors.start_date = 'Start date must be today or in the past';
  return { input: { status, start_date: start }, errors };
}

export function readContactInput(body: Body) {
  const errors: FieldErrors = {};
  const name = text(body, 'name');
  const relationship = text(body, 'relationship');
  if (!name) errors.name = 'Enter the contact’s name';
  if (!relationship) errors.relationship = 'Enter how they are related, for example Mother or Foster carer';
  limit(errors, 'name', name, 'Name', 200);
  limit(errors, 'relationship', relationship, 'Relationship', 100);
  const phone = text(body, 'phone');
  if (phone && !/^[+\d][\d\s()-]{5,20}$/.test(phone))
    errors.phone = 'Enter a phone number, like 01632 960 001 or +44 7700 900 982';
  const email = text(body, 'email');
  if (email && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email))
    errors.email = 'Enter an email address in the correct format, like name@example.com';
  const address = text(body, 'address');
  limit(errors, 'address', address, 'Address', 500);
  const pr = text(body, 'parental_responsibility');
  return {
    input: {
      name,
      relationship,
      phone: phone || null,
      email: email || null,
      address: address || null,
      parental_responsibility: pr === 'yes' || pr === 'true',
    },
    errors,
  };
}

export function readInvolvementInput(body: Body, today: string) {
  const errors: FieldErrors = {};
  const team = text(body, 'team_id');
  if (!UUID.test(team)) errors.team_id = 'Choose the team that is working with this young person';
  const worker = text(body, 'worker_id');
  if (worker && !UUID.test(worker)) errors.worker_id = 'Choose a worker from the list, or leave it unallocated';
  const reason = text(body, 'reason');
  if (!reason) errors.reason = 'Enter why the team is involved, for example Child in need assessment';
  limit(errors, 'reason', reason, 'Reason', 500);
  let start = dateInput(body, 'start_date').value;
  if (!start) start = today;
  else if (!isRealDate(start)) errors.start_date = 'Start date must be a real date, for example 1 9 2026';
  return { input: { team_id: team, worker_id: worker || null, reason, start_date: start }, errors };
}
