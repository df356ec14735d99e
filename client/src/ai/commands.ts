/** The AI menu's entries, in the order people scan for them. */
import type { AiCommand } from "../../../shared/ai";

export interface MenuCommand {
  command: AiCommand;
  label: string;
  icon: string;
}

export const MENU_COMMANDS: MenuCommand[] = [
  { command: "rewrite", label: "Rewrite", icon: "✎" },
  { command: "summarize", label: "Summarize", icon: "≡" },
  { command: "fix", label: "Fix spelling & grammar", icon: "✓" },
  { command: "shorter", label: "Make shorter", icon: "↙" },
  { command: "longer", label: "Make longer", icon: "↗" },
];

export const COMMAND_TITLES: Record<AiCommand, string> = {
  rewrite: "Rewrite",
  summarize: "Summary",
  fix: "Fixed spelling & grammar",
  shorter: "Shorter",
  longer: "Longer",
  tone: "New tone",
  translate: "Translation",
  continue: "Continuation",
  ask: "Answer",
};
