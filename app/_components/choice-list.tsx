'use client';

import styles from './mdx-palette.module.css';

/**
 * The radio choices of a `<Quiz>` or a `<Predict>`: one label per option, the right one marked
 * once `reveal` is set (the fieldset around it decides whether they can still change).
 */
export function ChoiceList({
  name,
  options,
  answer,
  reveal,
  chosen,
  onChoose,
}: {
  name: string;
  options: string[];
  answer: number;
  reveal: boolean;
  chosen: number | null;
  onChoose: (index: number) => void;
}) {
  return options.map((option, index) => (
    <label
      key={index}
      className={`${styles.quizOption} ${reveal && index === answer ? styles.quizAnswer : ''}`}
    >
      <input type="radio" name={name} checked={chosen === index} onChange={() => onChoose(index)} />
      <span>{option}</span>
    </label>
  ));
}
