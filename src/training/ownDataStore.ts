// Chapter 11 keeps the reader's prepared images, and the model trained on them, in this browser's
// IndexedDB (one save file, lib/ownDataFile.ts's format) so a reload finds them; nothing leaves the
// browser. Every call settles: where the browser offers no storage, a read finds nothing and a write
// rejects with a sentence.
const DB = "vae-explorables-own-data";
const STORE = "files";
const KEY = "current";

function open(): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    if (typeof indexedDB === "undefined") return reject(new Error("this browser offers the page no storage (no IndexedDB)"));
    const request = indexedDB.open(DB, 1);
    request.onupgradeneeded = () => request.result.createObjectStore(STORE);
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error ?? new Error("the browser's storage could not be opened"));
    request.onblocked = () => reject(new Error("the browser's storage is in use by another tab"));
  });
}

async function run<T>(mode: IDBTransactionMode, work: (store: IDBObjectStore) => IDBRequest<T>): Promise<T> {
  const db = await open();
  try {
    return await new Promise<T>((resolve, reject) => {
      const transaction = db.transaction(STORE, mode);
      const request = work(transaction.objectStore(STORE));
      transaction.oncomplete = () => resolve(request.result);
      transaction.onerror = () => reject(transaction.error ?? request.error ?? new Error("the browser's storage refused"));
      transaction.onabort = () => reject(transaction.error ?? new Error("the browser's storage refused (full?)"));
    });
  } finally {
    db.close();
  }
}

/** The kept save file's bytes and when they were kept, or null when nothing is kept (or storage is off). */
export async function readKept(): Promise<{bytes: Uint8Array; keptAt: string} | null> {
  try {
    const value = await run<{bytes: ArrayBuffer; keptAt: string} | undefined>("readonly", (store) => store.get(KEY));
    return value ? {bytes: new Uint8Array(value.bytes), keptAt: value.keptAt} : null;
  } catch {
    return null;
  }
}

/** Keeps a save file (replacing the last one). */
export async function keep(bytes: Uint8Array): Promise<void> {
  const copy = bytes.slice().buffer;
  await run("readwrite", (store) => store.put({bytes: copy, keptAt: new Date().toISOString()}, KEY));
}

/** Forgets the kept file. */
export async function forget(): Promise<void> {
  await run("readwrite", (store) => store.delete(KEY));
}
