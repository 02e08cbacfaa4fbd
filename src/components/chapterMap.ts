import type {Chapter} from "../chapters.js";

/** The numbered chapter list: ready chapters link to their page, the others are marked as coming. */
export function ChapterMap(chapters: readonly Chapter[]): HTMLElement {
  const list = document.createElement("ol");
  list.className = "chapter-map";
  for (const chapter of chapters) {
    const item = document.createElement("li");
    const number = Object.assign(document.createElement("span"), {className: "number", textContent: String(chapter.number)});
    number.setAttribute("aria-hidden", "true");
    const title = document.createElement("span");
    title.className = "title";
    if (chapter.ready) {
      const link = Object.assign(document.createElement("a"), {href: `.${chapter.path}`, textContent: chapter.title});
      title.append(link);
    } else {
      title.append(chapter.title);
      const coming = Object.assign(document.createElement("span"), {className: "coming", textContent: "coming"});
      title.append(coming);
    }
    const summary = Object.assign(document.createElement("span"), {className: "summary", textContent: chapter.summary});
    if (chapter.needs?.length) {
      const needs = Object.assign(document.createElement("span"), {className: "needs"});
      needs.append("Builds on ");
      chapter.needs.forEach((n, i) => {
        const target = chapters.find((c) => c.number === n);
        if (i > 0) needs.append(i === chapter.needs!.length - 1 ? " and " : ", ");
        needs.append(target ? Object.assign(document.createElement("a"), {href: `.${target.path}`, textContent: `${n}`, title: target.title}) : String(n));
      });
      needs.append(".");
      summary.append(" ", needs);
    }
    item.append(number, title, summary);
    list.append(item);
  }
  return list;
}
