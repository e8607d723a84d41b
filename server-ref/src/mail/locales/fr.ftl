# Courriel transactionnel, français.
footer = Vous recevez ce message suite à votre activité sur { $store }.
link-fallback = Si le bouton ne fonctionne pas, copiez cette adresse dans votre navigateur :
order-heading = Commande { $order }
order-quantity = Quantité
order-subtotal = Sous-total
order-shipping = Livraison
order-tax = Taxes
order-tax-included = Dont taxes
order-total = Total
downloads-heading = Vos téléchargements
downloads-note = Chaque lien fonctionne un nombre limité de fois et expire.

order-confirmation-subject = { $store } : votre commande est confirmée
order-confirmation-heading = Merci pour votre commande
order-confirmation-intro = Nous avons bien reçu votre paiement pour la commande { $order }.

payment-failed-subject = { $store } : votre paiement n’a pas abouti
payment-failed-heading = Votre paiement n’a pas abouti
payment-failed-intro = Le paiement de la commande { $order } a été refusé ; la commande est annulée. Rien n’a été débité ; vous pouvez commander à nouveau.

refunded-subject = { $store } : votre commande a été remboursée
refunded-heading = Votre commande a été remboursée
refunded-intro = La commande { $order } a été remboursée : { $amount } retourne sur votre moyen de paiement. Ses liens de téléchargement ne fonctionnent plus.

password-reset-subject = { $store } : choisissez un nouveau mot de passe
password-reset-heading = Choisissez un nouveau mot de passe
password-reset-intro = Quelqu’un a demandé à réinitialiser le mot de passe de votre compte sur { $store }. Si c’était vous, choisissez un nouveau mot de passe avec ce lien dans l’heure.
password-reset-action = Choisir un nouveau mot de passe
password-reset-ignore = Si vous n’avez rien demandé, ignorez ce message : votre mot de passe reste inchangé.

invitation-subject = { $store } : vous êtes invité à la console
invitation-heading = Vous êtes invité
invitation-intro = Vous êtes invité à gérer { $store } en tant que { $role }. Choisissez votre mot de passe avec ce lien avant le { $expires }.
invitation-action = Accepter l’invitation

access-link-subject = { $store } : vos commandes
access-link-heading = Vos commandes
access-link-intro = Ouvrez ce lien pour voir vos commandes et téléchargements sur { $store }. Il fonctionne une fois, pendant { $minutes } minutes.
access-link-action = Voir mes commandes
access-link-ignore = Si vous n’avez rien demandé, ignorez ce message.

partly-refunded-subject = { $store } : une partie de votre commande a été remboursée
partly-refunded-heading = Une partie de votre commande a été remboursée
partly-refunded-intro = { $amount } de la commande { $order } revient sur votre moyen de paiement.
shipped-subject = { $store } : votre commande est en route
shipped-heading = Votre commande est en route
shipped-intro = Un colis de la commande { $order } est parti avec { $carrier }. Numéro de suivi : { $tracking }.
