// The PDF of one version of a plan (issue 20 part 1): the same content as the printable page (every section, the
// version number, DRAFT/FINAL words, the issue date), as a tagged PDF in en-GB (headings and paragraphs in the
// structure tree, so a screen reader reads it in order). pdfkit writes it: the library Node uses widely for PDFs,
// with tagged-PDF support built in, and no browser needed on the server. `taggedPdf` is the writer other EHC letters
// reuse (the plan-changes module's notice of a decision to cease).
import PDFDocument from 'pdfkit';
import type { versionView } from './read.ts';

type View = Awaited<ReturnType<typeof versionView>>;

/** What a document is written with: headings and paragraphs, each a tagged element of the structure tree. */
export interface PdfWriter {
  h1(text: string): void;
  h2(text: string): void;
  para(text: string, o?: { size?: number; bold?: boolean }): void;
}

/** A tagged A4 PDF in en-GB, titled `title`, with what `write` puts in it. */
export function taggedPdf(meta: { title: string; subject: string }, write: (w: PdfWriter) => void): Promise<Buffer> {
  const doc = new PDFDocument({
    size: 'A4',
    margin: 56,
    tagged: true,
    lang: 'en-GB',
    displayTitle: true,
    pdfVersion: '1.7',
    info: { Title: meta.title, Author: 'Handover', Subject: meta.subject },
  });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  const root = doc.struct('Document');
  doc.addStructure(root);
  write({
    h1: (text) =>
      root.add(
        doc.struct('H1', {}, () => {
          doc.font('Helvetica-Bold').fontSize(18).text(text);
          doc.moveDown(0.3);
        }),
      ),
    h2: (text) =>
      root.add(
        doc.struct('H2', {}, () => {
          doc.moveDown(0.5).font('Helvetica-Bold').fontSize(13).text(text);
          doc.moveDown(0.3);
        }),
      ),
    para: (text, o = {}) =>
      root.add(
        doc.struct('P', {}, () => {
          doc
            .font(o.bold ? 'Helvetica-Bold' : 'Helvetica')
            .fontSize(o.size ?? 11)
            .text(text);
          doc.moveDown(0.5);
        }),
      ),
  });
  root.end();
  doc.end();
  return done;
}

export function planPdf({ plan, version: v }: View): Promise<Buffer> {
  const title = `Education, health and care plan ${plan.case_number}, version ${v.number} (${v.watermark.toLowerCase()})`;
  return taggedPdf({ title, subject: 'EHC plan' }, ({ h1, h2, para }) => {
    h1('Education, health and care plan');
    para(`${v.watermark} — version ${v.number}`, { bold: true, size: 14 });
    para(
      `${plan.given_name} ${plan.family_name}, born ${plan.date_of_birth ?? 'date not recorded'}, case ${plan.case_number}`,
    );
    para(
      v.issued_date
        ? `${v.kind === 'final' ? 'Issued' : 'Served'} on ${v.issued_date}`
        : 'Not yet issued: this version is being edited',
    );
    for (const s of v.sections) {
      h2(`Section ${s.letter}: ${s.title}`);
      if (s.key === 'b' && v.sen_need_labels.length) para(`Needs, ranked: ${v.sen_need_labels.join('; ')}`);
      if (s.key === 'i') {
        const named = v.setting_name
          ? `${v.setting_name}${v.setting_urn ? ` (URN ${v.setting_urn})` : ''}`
          : (v.sen_setting_label ?? 'No setting named yet');
        para(`Placement: ${named}`);
      }
      para(s.text || 'Not written.');
    }
  });
}
