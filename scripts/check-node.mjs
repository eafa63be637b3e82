// Fails fast when a script is run on a Node other than the pinned 24 LTS (see DEVELOPERS.md).
const major = Number(process.versions.node.split('.')[0]);
if (major !== 24) {
  console.error(
    `Handover needs Node 24 LTS; this is ${process.version}. Run it through npm (npm test, npm start) so the pinned node in node_modules/.bin is used.`,
  );
  process.exit(1);
}
