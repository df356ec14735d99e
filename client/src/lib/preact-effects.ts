/**
 * The browser runs React components on Preact's compatibility layer (vite.config.ts
 * aliases react and react-dom to preact/compat: 55 KB gzip less to load). One timing
 * differs: Preact runs effects after the next animation frame, React right after the
 * commit. Tiptap's useEditor depends on React's timing: it destroys an editor whose
 * component has not run its effects within 1 ms of creating it (meant for React's
 * strict-mode double mount), so behind Preact's frame wait the editor was destroyed
 * under the page about one load in two. Effects run in a microtask after the commit,
 * before any timer can fire. Imported first by main.tsx.
 */
import { options } from "preact";

options.requestAnimationFrame = (flush) => queueMicrotask(flush);
